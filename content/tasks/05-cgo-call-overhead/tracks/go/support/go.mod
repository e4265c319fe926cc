module cgooverhead

go 1.24
