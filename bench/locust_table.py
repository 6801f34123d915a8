"""Locust's stats CSV as the Markdown table of bench/README.md, with the pages' own aggregate
(every request but PDF downloads, which the p95 target leaves out)."""

import csv
import json
import sys
from pathlib import Path


def main(path: str) -> None:
    rows = [r for r in csv.DictReader(open(path, encoding="utf-8")) if r["Name"] != "Aggregated"]
    print("| request | count | failures | median ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in sorted(rows, key=lambda r: r["Name"]):
        print(f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
              f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |")
    pages = json.loads((Path(path).parent / "load_pages.json").read_text())
    print()
    for label in ("pages", "pages without the password step"):
        figures = pages[label]
        print(f"- all {label} (PDF downloads excluded): {figures['requests']} requests, "
              f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms")
    print(f"- failed requests (PDFs included): {pages['failures']}")


if __name__ == "__main__":
    main(sys.argv[1])
