#!/usr/bin/env bash
# Installs, through apt and only when missing, what the test suite needs beyond
# Python packages: Debian's Chromium (browser tests drive it through Playwright,
# which cannot download its own browsers here), CJK fonts (so Chinese renders in
# the browser and in PDF briefings), LibreOffice Calc (tests convert workbooks to
# .xls/.ods the way an official's office suite writes them) and poppler-utils
# (pdftotext reads the PDF briefing back).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)

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
