# Gongkai — 政府信息公开网站。运行 `make help` 查看全部命令。
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help: ## 列出全部命令
	@echo "用法:make <命令>"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP) ## 创建 .venv 并安装依赖(其他命令会自动执行)

validate: $(STAMP) ## 检查 data/ 下的全部数据,列出所有问题
	$(BIN)/gongkai validate

build: $(STAMP) ## 生成网站到 site/(失败时保留原来的 site/)
	$(BIN)/gongkai build

serve: $(STAMP) ## 生成网站并在 http://127.0.0.1:8000 预览,修改后自动刷新
	$(BIN)/gongkai serve

test-deps: $(TEST_STAMP) ## 安装测试需要的 Chromium 和中文字体(缺少时)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "安装 chromium 和 fonts-noto-cjk …"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk; \
	fi

test: test-deps ## 运行全部测试
	$(BIN)/pytest -q

schema: $(STAMP) ## 重新生成编辑器用的 JSON Schema(schema/)
	$(BIN)/gongkai schema

golden: $(TEST_STAMP) ## 重新生成组件和页面的 golden HTML(检查差异后再提交)
	$(BIN)/pytest -q tests/test_golden.py --update-golden

clean: ## 删除 site/ 和临时文件(保留 .venv)
	rm -rf site .site.tmp-* .site.old-* .pytest_cache

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	touch $@

bench: test-deps $(BENCH_STAMP) ## 性能基准:100/1000/10000 条合成计划,与 MkDocs + Material 对比,写入 docs/benchmarks.md
	$(BIN)/gongkai bench $(BENCH_ARGS)

.PHONY: help install validate build serve test-deps test schema golden clean bench
