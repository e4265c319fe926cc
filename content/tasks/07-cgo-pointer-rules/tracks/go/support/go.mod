module registry

go 1.24
