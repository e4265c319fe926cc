module ffilab.local/goinspect

go 1.24
