"""Draw the program's icon: a red five-pointed star on a light square with a red border (the files are
committed; run again only to change the drawing).

    .venv/bin/python packaging/make_icon.py

Writes packaging/icon.png (256 px) and packaging/windows/SoTayChiBo.ico (16–256 px).
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
RED = (218, 37, 29, 255)
PAPER = (255, 247, 224, 255)
SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def star(size: int) -> list[tuple[float, float]]:
    cx, cy = size / 2, size / 2 + size * 0.03
    outer, inner = size * 0.36, size * 0.36 * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw(size: int = 256) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=big // 10, fill=PAPER, outline=RED, width=big // 16
    )
    pen.polygon(star(big), fill=RED)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    image = draw(256)
    image.save(HERE / "icon.png")
    image.save(HERE / "windows" / "SoTayChiBo.ico", sizes=SIZES)
    print(f"wrote {HERE / 'icon.png'} and {HERE / 'windows' / 'SoTayChiBo.ico'}")


if __name__ == "__main__":
    main()
