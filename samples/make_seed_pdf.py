#!/usr/bin/env python3
"""Regenerates samples/seed-notice.pdf from samples/seed-notice.txt with LibreOffice.

Each text line becomes one paragraph exactly as written (Markdown markers and the page-break damage included);
every page carries a running header and a page number footer (— N —), so the PDF reader's removal of both is
tested on real layout. Usage: python3 samples/make_seed_pdf.py   (needs `soffice` on PATH)
"""
import html, os, shutil, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
lines = open(os.path.join(here, "seed-notice.txt"), encoding="utf-8").read().split("\n")
body = "\n".join(f"<text:p>{html.escape(l)}</text:p>" for l in lines)
fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
    fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
   <style:header-style/><style:footer-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>石龙区教育局文件</text:p></style:header>
   <style:footer><text:p>— <text:page-number text:select-page="current"/> —</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
{body}
 </office:text></office:body>
</office:document>
"""
work = tempfile.mkdtemp()
try:
    src = os.path.join(work, "seed-notice.fodt")
    open(src, "w", encoding="utf-8").write(fodt)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", work, src], check=True, capture_output=True)
    shutil.copy(os.path.join(work, "seed-notice.pdf"), os.path.join(here, "seed-notice.pdf"))
finally:
    shutil.rmtree(work, ignore_errors=True)
