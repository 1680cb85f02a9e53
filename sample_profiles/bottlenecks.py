"""Three classic bottlenecks in one script, for a profiler to find.

1. ``mandelbrot_area``: a CPU-bound arithmetic loop (all the time is tottime).
2. ``HtmlReport.add_row``: ``self.html += ...`` in a loop. CPython can append in
   place to a local string, but not to an attribute, so every cell copies the
   whole report so far: quadratic time in the size of a report.
3. ``checksum``: "death by a thousand cuts", a loop of tiny function calls that each
   cost almost nothing and together cost a lot (the time is in ncalls).
"""

from __future__ import annotations


def mandelbrot_area(size: int, max_iter: int = 40) -> float:
    """Estimate the Mandelbrot set's area on a size x size grid."""
    inside = 0
    for row in range(size):
        ci = -1.5 + 3.0 * row / size
        for col in range(size):
            cr = -2.0 + 3.0 * col / size
            zr = zi = 0.0
            for _ in range(max_iter):
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                if zr * zr + zi * zi > 4.0:
                    break
            else:
                inside += 1
    return 9.0 * inside / (size * size)


class HtmlReport:
    """An HTML table built by string concatenation, one row at a time."""

    def __init__(self) -> None:
        self.html = "<table>\n"

    def add_row(self, cells: list[str]) -> None:
        self.html += "<tr>"
        for cell in cells:
            self.html += "<td>" + cell + "</td>"
        self.html += "</tr>\n"

    def close(self) -> str:
        self.html += "</table>\n"
        return self.html


def build_report(day: int, rows: int) -> str:
    report = HtmlReport()
    for i in range(rows):
        status = "ok" if (i + day) % 7 else "late"
        report.add_row([f"day {day}", f"item-{i:05d}", f"{i * 0.37:.2f}", status])
    return report.close()


def daily_reports(days: int, rows: int) -> list[str]:
    """One report per day, each built row by row."""
    return [build_report(day, rows) for day in range(days)]


def is_even(n: int) -> bool:
    return n % 2 == 0


def scramble(n: int) -> int:
    return (n * 2654435761) & 0xFFFFFFFF


def clamp(n: int, limit: int) -> int:
    return n if n < limit else n % limit


def checksum(count: int) -> int:
    """A checksum built from many calls to tiny helpers."""
    total = 0
    for i in range(count):
        value = scramble(i) if is_even(i) else i
        total = clamp(total + value, 1_000_000_007)
    return total


def main(size: int = 330, days: int = 60, rows: int = 900, count: int = 600_000) -> None:
    print(f"Mandelbrot area ~ {mandelbrot_area(size):.4f}")
    reports = daily_reports(days, rows)
    print(f"{days} daily reports, {sum(len(r) for r in reports):,} characters")
    print(f"checksum: {checksum(count)}")


if __name__ == "__main__":
    main()
