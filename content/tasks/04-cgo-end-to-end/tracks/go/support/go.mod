module csquare

go 1.24
