#!/usr/bin/env bash
# Renders a ledger as a notice (DOCX → PDF through LibreOffice) and as page images (pdftoppm), so a person can look
# at the pages: title centred, body justified on the grid, page numbers `— 1 —` right on odd and left on even pages.
# Usage: bench/render-pages.sh [LEDGER.json] [OUTDIR] [notice|report|plan]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
input="${1:-$here/samples/seed-notice.txt}"
out="${2:-$here/artifacts/pages}"
kind="${3:-notice}"
mkdir -p "$out"
command -v soffice >/dev/null || { echo "未找到 LibreOffice（soffice），无法生成页面图像。" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "未找到 pdftoppm（poppler-utils），无法生成页面图像。" >&2; exit 1; }
dotnet build "$here/src/Rectify" -v quiet -nologo >/dev/null
rectify="$here/src/Rectify/bin/Debug/net10.0/rectify"
"$rectify" render "$input" --to docx --kind "$kind" --out "$out/$kind.docx"
"$rectify" render "$input" --to pdf --kind "$kind" --out "$out/$kind.pdf"
"$rectify" render "$input" --to html --kind "$kind" --out "$out/$kind.html" 2>/dev/null || true
rm -f "$out/$kind"-*.png
pdftoppm -png -r 60 "$out/$kind.pdf" "$out/$kind"
ls "$out"/"$kind"*.png
