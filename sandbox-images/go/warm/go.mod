module ffilab.local/warm

go 1.24
