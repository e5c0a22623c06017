#!/usr/bin/env bash
# Installs, through apt and only when missing, what the test suite needs beyond
# Python packages: Debian's Chromium (browser tests drive it through Playwright,
# which cannot download its own browsers here), CJK fonts (so Chinese renders in
# the browser and in PDF briefings), LibreOffice Calc (tests convert workbooks to
# .xls/.ods the way an official's office suite writes them), its Python bridge
# python3-uno (tests/lo_fill.py types into a workbook in Calc, run by Debian's
# /usr/bin/python3), poppler-utils (pdftotext reads the PDF briefing back), nginx
# (tests/e2e/test_nginx.py puts Debian's nginx, configured by deploy/nginx.conf, in
# front of the app) and systemd's tools (systemd-analyze verify checks deploy/'s
# units; nothing is started).
# `system-deps.sh run` installs only what the app itself needs (`make run`): the
# CJK font the PDF briefing embeds, at the path yzlogi/fonts.py looks for; an
# offline bundle carries that font in fonts/, so nothing is installed there.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
need=()
if [ ! -f "$here/fonts/NotoSansCJK-Regular.ttc" ]; then
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
fi
if [ "${1:-}" != "run" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
  /usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing ${need[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
