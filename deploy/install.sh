#!/bin/sh
# Installs an unpacked offline bundle (make bundle) with no network at all:
# checks the bundle's files against SHA256SUMS, then creates the Python
# environment .venv from the bundled wheels only (pip --no-index, no pip
# configuration read). Run it again after every update; it replaces .venv.
#
#   sudo tar -xzf yzlogi-<version>-<platform>.tar.gz -C /opt
#   sudo /opt/yzlogi/deploy/install.sh          # PYTHON=/usr/bin/python3.11 to name the interpreter
#
# Then `make run` (from /opt/yzlogi) starts the dashboard on the bundled sample,
# or the service runs it (README «内网部署»).
set -eu
umask 022  # the service user must be able to read what root installs
home="$(cd "$(dirname "$0")/.." && pwd)"
cd "$home"

fail() {
  printf '安装未完成：%s\n' "$*" >&2
  exit 1
}
is_311() {
  "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1
}

[ -d wheels ] && [ -f SHA256SUMS ] || fail "$home 不是离线安装包（缺少 wheels/ 或 SHA256SUMS）。能访问软件源时请直接运行 make run。"

python="${PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && is_311 "$candidate"; then
      python="$candidate"
      break
    fi
  done
fi
[ -n "$python" ] || fail "需要 Python 3.11（Debian 12 自带 python3.11；或用 PYTHON=/path/to/python3.11 指定）。"
is_311 "$python" || fail "$python 不是 Python 3.11。"

echo "校验安装包文件（SHA256SUMS）…"
sha256sum --check --quiet --strict SHA256SUMS || fail "安装包文件不完整或已损坏，请重新拷贝安装包。"

# pip reads this bundle and nothing else: no index, no configuration file, no PIP_* variable.
for name in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset "$name"
done
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_FIND_LINKS="$home/wheels" PIP_DISABLE_PIP_VERSION_CHECK=1 \
  PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1

echo "创建 Python 环境 $home/.venv（$("$python" -c 'import sys; print(sys.version.split()[0])')）…"
rm -rf .venv
"$python" -m venv --without-pip .venv || fail "无法创建虚拟环境（Debian 上需要 python3.11-venv 软件包）。"
# pip itself comes from its bundled wheel, so the system's ensurepip is not needed.
set -- wheels/pip-*.whl
[ -f "$1" ] || fail "wheels/ 中没有 pip。"
.venv/bin/python "$1/pip" install --quiet "$1"
.venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt \
  || fail "安装 Python 包失败（见上面的信息）：安装包可能不是为本机平台生成的（见 BUNDLE.txt）。"
.venv/bin/python -m pip check >/dev/null || fail "Python 包之间的依赖不一致：$(.venv/bin/python -m pip check)"
touch .venv/.app  # make run: the environment is up to date

echo "已安装。试运行：cd $home && make run（http://<本机>:8501）；作为服务运行见 README «内网部署»。"
