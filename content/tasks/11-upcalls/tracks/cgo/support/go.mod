module upcall

go 1.24
