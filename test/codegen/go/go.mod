module codegencheck

go 1.19
