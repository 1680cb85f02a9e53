import builtins

profile = getattr(builtins, "profile", lambda f: f)
"""Build an HTML report row by row."""


class HtmlReport:
    def __init__(self):
        self.html = "<table>\n"

    @profile
    def add_row(self, cells):
        self.html += "<tr>"
        for cell in cells:
            self.html += "<td>" + cell + "</td>"
        self.html += "</tr>\n"

    def close(self):
        self.html += "</table>\n"
        return self.html


def tiny(x):
    return x + 1


def checksum(n):
    acc = 0
    for i in range(n):
        acc = tiny(acc) ^ i
    return acc


def build_report(rows):
    report = HtmlReport()
    for i in range(rows):
        report.add_row([f"item-{i:05d}", f"{i * 0.37:.2f}", "ok"])
    return report.close()
