"""Render every kind of PDF the program prints and lay the pages out as a contact sheet.

    .venv/bin/python scripts/contact_sheet.py [--out docs/paperwork-contact-sheet.png]
        [--keep DIR] [--pdfs DIR]

The PDFs come from cli.gallery (the demo branch with 45 members, in a temporary
folder); each page is rendered with `pdftoppm -r 70` and the thumbnails are montaged with
ImageMagick `montage` (or Pillow when montage is missing), one labelled row per kind. The
PNG is kept under 1 MB (the thumbnails shrink until it is). `--keep DIR` also leaves the
PDFs and full-size page images there, to look at page by page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")  # a throwaway book: a fast key derivation

MAX_BYTES = 1_000_000


def render(pdfs: dict[str, bytes], folder: Path) -> dict[str, list[Path]]:
    """Each PDF's pages as PNG at 70 dpi, by kind."""
    pages: dict[str, list[Path]] = {}
    for kind, data in pdfs.items():
        source = folder / f"{kind}.pdf"
        source.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(source), str(folder / kind)], check=True
        )
        pages[kind] = sorted(folder.glob(f"{kind}-*.png"))
    return pages


COLUMNS = 8  # thumbnails per row


def _montage(pages: dict[str, list[Path]], out: Path, width: int) -> None:
    """One montage: every page labelled with its kind and page number, 8 to a row."""
    args: list[str] = []
    for kind, files in pages.items():
        for number, file in enumerate(files, start=1):
            args += ["-label", f"{kind} {number}/{len(files)}", str(file)]
    subprocess.run(
        ["montage", *args, "-tile", f"{COLUMNS}x", "-geometry", f"{width}x{width}+4+4",
         "-pointsize", "11", "-background", "white", "-colors", "64", str(out)],
        check=True,
    )  # fmt: skip


def _pillow(pages: dict[str, list[Path]], out: Path, width: int) -> None:
    from PIL import Image, ImageDraw

    label = 16
    cells = [(f"{kind} {n}/{len(files)}", file)
             for kind, files in pages.items() for n, file in enumerate(files, start=1)]  # fmt: skip
    rows = -(-len(cells) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (width + 8), rows * (width + label + 8)), "white")
    draw = ImageDraw.Draw(sheet)
    for index, (text, file) in enumerate(cells):
        left = (index % COLUMNS) * (width + 8) + 4
        top = (index // COLUMNS) * (width + label + 8) + 4
        with Image.open(file) as page:
            page.thumbnail((width, width))
            sheet.paste(page, (left, top))
        draw.text((left, top + width + 2), text, fill="black")
    sheet.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(out, optimize=True)


def contact_sheet(pages: dict[str, list[Path]], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    width = 220
    while True:
        if shutil.which("montage"):
            _montage(pages, out, width)
        else:
            _pillow(pages, out, width)
        if out.stat().st_size <= MAX_BYTES or width <= 100:
            return out
        width -= 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "paperwork-contact-sheet.png"))
    parser.add_argument("--keep", help="leave the PDFs and page images in this folder")
    parser.add_argument("--pdfs", help="lay out the PDFs already in this folder (no new book)")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("Cần pdftoppm (gói poppler-utils) để vẽ các trang.", file=sys.stderr)
        return 1
    if args.pdfs:
        folder = Path(args.pdfs)
        pdfs = {p.stem: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}
        for old in folder.glob("*.png"):
            old.unlink()
        out = contact_sheet(render(pdfs, folder), Path(args.out))
        print(f"{len(pdfs)} loại giấy tờ: {out} ({out.stat().st_size // 1024} KB)")
        return 0
    from cli.gallery import every_pdf, sample_book

    with tempfile.TemporaryDirectory(prefix="sotay-sheet-") as tmp:
        home = Path(tmp)
        os.environ["SOTAY_DATA_DIR"] = str(home / "data")
        os.environ["XDG_CONFIG_HOME"] = str(home / "config")
        os.environ["XDG_DATA_HOME"] = str(home / "share")
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        book = sample_book(home / "book")
        try:
            pdfs = every_pdf(book)
        finally:
            book.close()
        folder = Path(args.keep) if args.keep else home / "pages"
        folder.mkdir(parents=True, exist_ok=True)
        pages = render(pdfs, folder)
        out = contact_sheet(pages, Path(args.out))
    total = sum(len(files) for files in pages.values())
    print(f"{len(pages)} loại giấy tờ, {total} trang: {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
