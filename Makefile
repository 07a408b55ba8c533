# Gongkai — 政府信息公开网站。运行 `make help` 查看全部命令。
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
AXE_VERSION := 4.13.0
AXE_SHA256 := 096912f6e77b4b695fc9304b7be65091db42d98de054da674ae222a11cb33f70
AXE_DIR := tests/.deps/axe-core
AXE_STAMP := $(AXE_DIR)/.version-$(AXE_VERSION)
# 网页编辑器 Decap CMS（docs/editor.md）：npm 上的 decap-cms 包，按 sha256 检查；本机后端 decap-server 按 package-lock.json 安装
CMS_VERSION := 3.16.3
CMS_SHA256 := f1c0055411ebdbd5b7c77a835a68b92b5467622585838f8496223b27eee116d1
CMS_DIR := .deps/decap-cms
CMS_STAMP := $(CMS_DIR)/.version-$(CMS_VERSION)
CMS_SERVER_DIR := .deps/decap-server
CMS_SERVER_STAMP := $(CMS_SERVER_DIR)/.installed
# 外部检查工具(docs/quality.md):W3C Nu HTML Checker(npm 上的 vnu-jar,按 sha256 检查,用 Java 运行)
VNU_VERSION := 26.9.27
VNU_SHA256 := 5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
VNU_DIR := tests/.deps/vnu
VNU_STAMP := $(VNU_DIR)/.version-$(VNU_VERSION)
# Lighthouse 12(Node 20):按 tests/tools/lighthouse/package-lock.json 安装
LIGHTHOUSE_DIR := tests/.deps/lighthouse
LIGHTHOUSE_STAMP := $(LIGHTHOUSE_DIR)/.installed
# gongkai 自己的模块预先编译成 .pyc（已是最新时约 0.07 秒）：设了 PYTHONDONTWRITEBYTECODE 的机器（如 CI）上，
# Python 不写 __pycache__，每次启动都要从源码编译这 100 个模块（约 0.2 秒，每个子命令、每个测试的子进程都是）。
# 编译出错不在这里报：运行时的导入会用中文说明。
PYC = $(BIN)/python -m compileall -qq site_hooks >/dev/null || true
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# make serve PORT=8001：预览的端口（默认 8000，只在 127.0.0.1 上）
PORT ?= 8000

# Every recipe line that can fail ends in $(call FAIL,这一步做的事): when it fails, one Chinese line says
# which step of which command failed, before make's own "make: *** … Error 1".
FAIL = || { echo "make $(or $(MAKECMDGOALS),help) 失败：$(1)没有完成，原因见上面的说明，改正后再运行一次。" >&2; exit 1; }

help: ## 列出全部命令
	@echo "用法：make <命令>"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) $(call FAIL,创建 .venv)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e . $(call FAIL,安装 Python 依赖)
	@$(PYC)
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]' $(call FAIL,安装测试用的 Python 依赖)
	touch $@

install: $(STAMP) ## 创建 .venv 并安装依赖（其他命令会自动执行）

validate: $(STAMP) ## 检查 data/ 下的全部数据，列出所有问题（CI：FORMAT=github；合并请求另加 BASE=origin/main）
	@$(PYC)
	$(BIN)/gongkai validate $(if $(FORMAT),--format $(FORMAT)) $(if $(BASE),--base "$(BASE)") $(call FAIL,数据检查)

build: $(STAMP) $(CMS_STAMP) ## 生成网站到 site/（失败时保留原来的 site/）
	@$(PYC)
	$(BIN)/gongkai build $(call FAIL,生成网站)

serve: $(STAMP) $(CMS_STAMP) $(CMS_SERVER_STAMP) ## 生成网站并在 http://127.0.0.1:8000 预览（网页编辑器在 /admin/），修改后自动刷新；端口被占用时换一个：make serve PORT=8001
	@$(PYC)
	$(BIN)/gongkai serve --addr "127.0.0.1:$(PORT)" $(call FAIL,预览)

test-deps: $(TEST_STAMP) $(AXE_STAMP) $(CMS_STAMP) $(CMS_SERVER_STAMP) $(VNU_STAMP) $(LIGHTHOUSE_STAMP) ## 安装测试需要的 Chromium、中文字体、nginx、rsync、Java、axe-core、Nu HTML Checker 和 Lighthouse（缺少时）
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    || ! command -v nginx >/dev/null || ! command -v rsync >/dev/null || ! command -v java >/dev/null; then \
	  echo "安装 chromium、fonts-noto-cjk、nginx（含 brotli 模块）、rsync 和 Java …"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk \
	    nginx libnginx-mod-http-brotli-filter rsync default-jre-headless; \
	fi $(call FAIL,安装测试需要的系统软件)

# make test runs the suite in two parts: first on TEST_JOBS workers at once (pytest-xdist; all tests of a file on
# one worker, so a file's fixtures are made once), then the tests marked serial, alone on the machine (Lighthouse's
# performance score depends on the load). make test TEST_JOBS=1 runs the first part in one worker process.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

test: test-deps ## 运行全部测试（包括 Nu HTML Checker 和 make audit 的 Lighthouse）；并行的进程数：make test TEST_JOBS=2
	@$(PYC)
	$(BIN)/pytest -q -n $(TEST_JOBS) --dist loadfile -m "not serial" $(call FAIL,测试)
	$(BIN)/pytest -q -m serial $(call FAIL,测试（单独运行的 Lighthouse 部分）)

vnu: test-deps ## 只用 W3C Nu HTML Checker 检查示例网站的全部页面（每种页面都在内；0 个错误，警告打印出来）
	$(BIN)/pytest -q -s tests/test_html_validity.py $(call FAIL,HTML 检查)

audit: test-deps ## 用 Lighthouse 检查首页、计划页和长辈版（手机和电脑；每项 ≥ 95，SEO 100），打印分数
	$(BIN)/pytest -q -s tests/test_lighthouse.py $(call FAIL,Lighthouse 检查)

schema: $(STAMP) ## 重新生成编辑器用的 JSON Schema（schema/）
	$(BIN)/gongkai schema $(call FAIL,生成 JSON Schema)

golden: $(TEST_STAMP) ## 重新生成组件和页面的 golden HTML（检查差异后再提交）
	GONGKAI_UPDATE_GOLDEN=1 $(BIN)/pytest -q --update-golden -k golden $(call FAIL,重新生成 golden 文件)

clean: ## 删除 site/、site-admin/ 和临时文件（保留 .venv）
	rm -rf site site-admin .site.tmp-* .site.old-* .site.trash-* .pytest_cache $(call FAIL,删除生成的文件)

new: $(STAMP) ## 新建计划文件，例如 make new DEPT=skjj TITLE="市科学技术局2025年工作计划"（名称中没有年份时加 YEAR=2025）
	GONGKAI_MAKE=1 $(BIN)/gongkai new $(if $(DEPT),--dept "$(DEPT)") $(if $(TITLE),--title "$(TITLE)") $(if $(YEAR),--year "$(YEAR)") $(if $(DATE),--date "$(DATE)") $(call FAIL,新建计划文件)

import: $(STAMP) ## 从 Word/文本导入计划，例如 make import FILE=计划.docx DEPT=skjj
	@test -n "$(FILE)" || { echo "请指定文件：make import FILE=计划.docx DEPT=skjj" >&2; exit 2; }
	GONGKAI_MAKE=1 $(BIN)/gongkai import "$(FILE)" $(if $(DEPT),--dept "$(DEPT)") $(if $(YEAR),--year "$(YEAR)") $(if $(DATE),--date "$(DATE)") $(call FAIL,导入)


# 发布（docs/publishing.md）：DEST 是本机目录、user@服务器:/目录 或 s3://存储桶/前缀
DEST ?=
KEEP ?= 5

deploy: $(STAMP) ## 检查、生成并发布到 DEST（原子切换，保留 KEEP 个版本），例：make deploy DEST=/srv/www/kj
	@test -n "$(DEST)" || { echo "请指定发布目标：make deploy DEST=/srv/www/kj" >&2; exit 2; }
	$(BIN)/gongkai deploy "$(DEST)" --keep $(KEEP) $(call FAIL,发布)

rollback: $(STAMP) ## 把 DEST 上的网站切换回上一个版本，例：make rollback DEST=/srv/www/kj
	@test -n "$(DEST)" || { echo "请指定发布目标：make rollback DEST=/srv/www/kj" >&2; exit 2; }
	$(BIN)/gongkai rollback "$(DEST)" $(call FAIL,回滚)

nginx-example: $(STAMP) ## 重新生成 hosting/nginx/example.conf（改了 csp.py 或模板之后）
	$(BIN)/gongkai nginx --root /srv/www/kj/current --server-name kj.example.gov.cn --listen 80 --brotli > hosting/nginx/example.conf $(call FAIL,生成 nginx 配置示例)

.PHONY: help install cms-deps validate build serve test-deps test vnu audit schema golden clean new import deploy rollback nginx-example fuzz index-numbers

# CI on the main branch (docs/publishing.md): number the new plans, commit, push; retried when the push is rejected.
index-numbers: $(STAMP) ## 合并到主分支后（CI）：写入新信息的索引号，提交并推送，例：make index-numbers BRANCH=main
	$(BIN)/python scripts/assign_index_numbers.py $(if $(BRANCH),--branch "$(BRANCH)") $(call FAIL,写入索引号)

fuzz: test-deps ## 长时间模糊测试：3万个数据错误样例和10倍的属性测试（每天换随机种子，约半小时）
	GONGKAI_FUZZ_CASES=$${GONGKAI_FUZZ_CASES:-30000} GONGKAI_FUZZ_SEED=$${GONGKAI_FUZZ_SEED:-$$(date +%Y%m%d)} \
	  HYPOTHESIS_PROFILE=long $(BIN)/pytest -q -s tests/test_fuzz.py tests/test_fuzz_properties.py $(call FAIL,模糊测试)

# axe-core (accessibility checker, used only by the browser tests): the exact npm tarball, checked by sha256.
$(AXE_STAMP):
	@command -v npm >/dev/null || { echo "安装 npm …"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends npm; } $(call FAIL,安装 npm)
	rm -rf $(AXE_DIR) && mkdir -p $(AXE_DIR) $(call FAIL,下载 axe-core)
	cd $(AXE_DIR) && npm pack --silent --ignore-scripts axe-core@$(AXE_VERSION) >/dev/null $(call FAIL,下载 axe-core)
	echo "$(AXE_SHA256)  $(AXE_DIR)/axe-core-$(AXE_VERSION).tgz" | sha256sum -c --quiet $(call FAIL,核对 axe-core 的 sha256)
	tar -xzf $(AXE_DIR)/axe-core-$(AXE_VERSION).tgz -C $(AXE_DIR) --strip-components=1 package/axe.min.js package/LICENSE $(call FAIL,解压 axe-core)
	rm $(AXE_DIR)/axe-core-$(AXE_VERSION).tgz $(call FAIL,下载 axe-core)
	touch $@

# Decap CMS (the web editor at /admin/): the exact npm tarball, checked by sha256; only the JavaScript is kept.
$(CMS_STAMP):
	@command -v npm >/dev/null || { echo "安装 npm …"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends npm; } $(call FAIL,安装 npm)
	rm -rf $(CMS_DIR) && mkdir -p $(CMS_DIR) $(call FAIL,下载 decap-cms)
	cd $(CMS_DIR) && npm pack --silent --ignore-scripts decap-cms@$(CMS_VERSION) >/dev/null $(call FAIL,下载 decap-cms)
	echo "$(CMS_SHA256)  $(CMS_DIR)/decap-cms-$(CMS_VERSION).tgz" | sha256sum -c --quiet $(call FAIL,核对 decap-cms 的 sha256)
	tar -xzf $(CMS_DIR)/decap-cms-$(CMS_VERSION).tgz -C $(CMS_DIR) --strip-components=2 --wildcards 'package/dist/*decap-cms.js' 'package/dist/decap-cms.js.LICENSE.txt' $(call FAIL,解压 decap-cms)
	rm $(CMS_DIR)/decap-cms-$(CMS_VERSION).tgz $(call FAIL,下载 decap-cms)
	touch $@

# decap-server (the editor's local backend for make serve): exact versions from hosting/decap-server/package-lock.json.
$(CMS_SERVER_STAMP): hosting/decap-server/package.json hosting/decap-server/package-lock.json
	@command -v npm >/dev/null || { echo "安装 npm …"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends npm; } $(call FAIL,安装 npm)
	rm -rf $(CMS_SERVER_DIR) && mkdir -p $(CMS_SERVER_DIR) $(call FAIL,安装 decap-server)
	cp hosting/decap-server/package.json hosting/decap-server/package-lock.json $(CMS_SERVER_DIR)/ $(call FAIL,安装 decap-server)
	cd $(CMS_SERVER_DIR) && npm ci --silent --ignore-scripts --omit=dev --no-audit --no-fund $(call FAIL,安装 decap-server)
	touch $@

# W3C Nu HTML Checker (tests/test_html_validity.py): the exact npm tarball, checked by sha256; only vnu.jar is kept.
$(VNU_STAMP):
	@command -v npm >/dev/null || { echo "安装 npm …"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends npm; } $(call FAIL,安装 npm)
	rm -rf $(VNU_DIR) && mkdir -p $(VNU_DIR) $(call FAIL,安装 Nu HTML Checker)
	cd $(VNU_DIR) && npm pack --silent --ignore-scripts vnu-jar@$(VNU_VERSION) >/dev/null $(call FAIL,安装 Nu HTML Checker)
	echo "$(VNU_SHA256)  $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz" | sha256sum -c --quiet $(call FAIL,检查 Nu HTML Checker 的 sha256)
	tar -xzf $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz -C $(VNU_DIR) --strip-components=3 package/build/dist/vnu.jar $(call FAIL,安装 Nu HTML Checker)
	tar -xzf $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz -C $(VNU_DIR) --strip-components=1 package/LICENSE $(call FAIL,安装 Nu HTML Checker)
	rm $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz $(call FAIL,安装 Nu HTML Checker)
	touch $@

# Lighthouse (tests/test_lighthouse.py, make audit): exact versions from tests/tools/lighthouse/package-lock.json.
# Its package.json pins (overrides) the two packages that @paulirish/trace_engine asks for as "latest":
# without that, npm ci refuses the lock file as soon as a newer version is published.
$(LIGHTHOUSE_STAMP): tests/tools/lighthouse/package.json tests/tools/lighthouse/package-lock.json
	@command -v npm >/dev/null || { echo "安装 npm …"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends npm; } $(call FAIL,安装 npm)
	rm -rf $(LIGHTHOUSE_DIR) && mkdir -p $(LIGHTHOUSE_DIR) $(call FAIL,安装 Lighthouse)
	cp tests/tools/lighthouse/package.json tests/tools/lighthouse/package-lock.json $(LIGHTHOUSE_DIR)/ $(call FAIL,安装 Lighthouse)
	cd $(LIGHTHOUSE_DIR) && npm ci --silent --ignore-scripts --omit=dev --no-audit --no-fund $(call FAIL,安装 Lighthouse)
	touch $@

cms-deps: $(CMS_STAMP) $(CMS_SERVER_STAMP) ## 安装网页编辑器（Decap CMS）和它的本机后端（make serve 会自动执行）

bench-search: $(TEST_STAMP) ## 站内搜索基准：10000 条合成计划，从输入检索词到第一条结果的下载量和用时
	$(BIN)/python scripts/bench_search.py $(call FAIL,站内搜索基准)

bench-portal: $(TEST_STAMP) ## 门户搜索基准：10/50/100 个部门 × 2000 条，合并索引与逐个部门查询的下载量和用时（docs/multisite.md）
	$(BIN)/python scripts/bench_portal.py $(call FAIL,门户搜索基准)


.PHONY: bench-search bench-portal
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,bench]' $(call FAIL,安装基准用的 Python 依赖)
	touch $@

bench: test-deps $(BENCH_STAMP) ## 性能基准：100/1000/10000 条合成计划，与 MkDocs + Material 对比，写入 docs/benchmarks.md
	@$(PYC)
	$(BIN)/gongkai bench $(BENCH_ARGS) $(call FAIL,性能基准)

.PHONY: bench
