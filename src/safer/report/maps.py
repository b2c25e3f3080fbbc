"""Static maps as inline SVG, drawn offline with matplotlib: no tiles or anything else from the internet.

Every map shows the area's ward outlines with their names and a legend that says what the
colours mean. Polygons are in British National Grid metres, so the maps are true to scale.

Example:
    >>> svg = category_map(lsoas, {"E01004734": "hot spot"}, HOTSPOT_COLOURS, wards=wards,
    ...                    title="Gi* hot spots", legend_title="LSOAs")  # doctest: +SKIP
    >>> svg.startswith("<svg")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

HOTSPOT_COLOURS = {"hot spot": "#c0392b", "cold spot": "#2e86c1", "not significant": "#eef1f4"}
OVER_TIME_COLOURS = {"persistent": "#922b21", "emerging": "#e67e22", "former": "#8e44ad",
                     "intermittent": "#f5b7b1", "not a hotspot": "#eef1f4"}
_SEQUENTIAL = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
_WIDTH_IN = 9.4
_MAP_SHARE = 0.72  # of the figure's width


def choropleth_map(polygons: gpd.GeoDataFrame, values: Mapping[str, float], *, wards: gpd.GeoDataFrame | None,
                   title: str, legend_title: str, classes: int = 5, value_format: str = "{:,.0f}") -> str:
    """Polygons shaded in ``classes`` quantile classes of ``values`` (by ``code``); the legend gives each range."""
    frame = polygons.copy()
    frame["value"] = frame["code"].map(values).astype(float)
    known = frame["value"].dropna().to_numpy()
    fig, ax = _axes(wards if wards is not None else frame)
    handles = []
    if len(known):
        edges = np.unique(np.quantile(known, np.linspace(0, 1, classes + 1)))
        if len(edges) < 2:
            edges = np.array([known.min(), known.max() + 1])
        colours = _SEQUENTIAL[-(len(edges) - 1):] if len(edges) - 1 <= len(_SEQUENTIAL) else _SEQUENTIAL
        index = np.clip(np.searchsorted(edges, frame["value"].to_numpy(), side="right") - 1, 0, len(edges) - 2)
        frame["colour"] = [colours[i] if not np.isnan(v) else "#ffffff" for i, v in zip(index, frame["value"])]
        frame.plot(ax=ax, color=frame["colour"], edgecolor="#ffffff", linewidth=0.3)
        for i in range(len(edges) - 1):
            low, high = value_format.format(edges[i]), value_format.format(edges[i + 1])
            handles.append(Patch(facecolor=colours[i], edgecolor="#888888", label=f"{low} to {high}"))
    if frame["value"].isna().any():
        frame[frame["value"].isna()].plot(ax=ax, color="#ffffff", edgecolor="#bbbbbb", linewidth=0.3, hatch="///")
        handles.append(Patch(facecolor="#ffffff", edgecolor="#bbbbbb", hatch="///", label="no figure"))
    return _finish(fig, ax, wards, title, legend_title, handles)


def category_map(polygons: gpd.GeoDataFrame, categories: Mapping[str, str], palette: Mapping[str, str], *,
                 wards: gpd.GeoDataFrame | None, title: str, legend_title: str,
                 counts_in_legend: bool = True) -> str:
    """Polygons coloured by their category (by ``code``); the legend lists every category in ``palette``."""
    frame = polygons.copy()
    frame["category"] = frame["code"].map(categories)
    fig, ax = _axes(wards if wards is not None else frame)
    shown = frame[frame["category"].isin(list(palette))]
    if len(shown):
        shown.plot(ax=ax, color=[palette[c] for c in shown["category"]], edgecolor="#ffffff", linewidth=0.3)
    handles = []
    for category, colour in palette.items():
        n = int((frame["category"] == category).sum())
        label = f"{category} ({n})" if counts_in_legend else category
        handles.append(Patch(facecolor=colour, edgecolor="#888888", label=label))
    return _finish(fig, ax, wards, title, legend_title, handles)


def density_map(density: np.ndarray, extent: tuple[float, float, float, float], *, outline,
                wards: gpd.GeoDataFrame | None, title: str, legend_title: str) -> str:
    """A density surface (rows south to north) clipped to the area ``outline``, with a colour bar."""
    left, right, bottom, top = extent
    rows, cols = density.shape
    xs = left + (np.arange(cols) + 0.5) * (right - left) / cols
    ys = bottom + (np.arange(rows) + 0.5) * (top - bottom) / rows
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(outline, gx, gy) if outline is not None else np.ones_like(density, dtype=bool)
    shown = np.where(inside, density, np.nan)
    fig, ax = _axes(wards, extent=extent)
    image = ax.imshow(shown, extent=extent, origin="lower", cmap="YlOrRd", interpolation="nearest", zorder=1)
    bar = fig.colorbar(image, cax=fig.add_axes((_MAP_SHARE + 0.04, 0.25, 0.025, 0.5)))
    bar.set_label(legend_title, fontsize=8)
    bar.ax.tick_params(labelsize=7)
    return _finish(fig, ax, wards, title, None, [])


def _axes(frame: gpd.GeoDataFrame | None, extent: tuple[float, float, float, float] | None = None):
    if extent is None and frame is not None:
        left, bottom, right, top = frame.total_bounds
    elif extent is not None:
        left, right, bottom, top = extent
    else:
        left, bottom, right, top = 0, 0, 1, 1
    aspect = (top - bottom) / max(right - left, 1.0)
    fig = plt.figure(figsize=(_WIDTH_IN, max(3.5, min(8.0, _WIDTH_IN * _MAP_SHARE * aspect + 0.6))))
    # a fixed layout (map on the left, legend on the right) instead of a "tight" bounding box,
    # which would draw the whole figure twice
    ax = fig.add_axes((0.01, 0.06, _MAP_SHARE, 0.86))
    ax.set_axis_off()
    ax.set_aspect("equal")
    return fig, ax


def _finish(fig, ax, wards: gpd.GeoDataFrame | None, title: str, legend_title: str | None,
            handles: Sequence[Patch]) -> str:
    if wards is not None and len(wards):
        wards.boundary.plot(ax=ax, color="#34495e", linewidth=0.8, zorder=3)
        # a light box behind each name keeps it readable and keeps the text as text in the SVG
        # (a stroked halo would turn every glyph into a path and multiply the file size)
        box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.65, "linewidth": 0}
        for name, point in zip(wards["name"], wards.geometry.representative_point()):
            ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=6.2, color="#1d2731",
                        zorder=4, bbox=box)
    ax.set_title(title, fontsize=10, loc="left")
    if handles:
        ax.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
                  title_fontsize=8, frameon=False)
    ax.annotate("Boundaries: ONS, Open Government Licence v3.0; contains OS data © Crown copyright and database "
                "right. British National Grid.", (0, -0.02), xycoords="axes fraction", fontsize=5.5, color="#666666",
                va="top")
    return _svg(fig, title)


def _svg(fig, salt: str) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]
