module github.com/golden-path/tools/launcher

go 1.26
