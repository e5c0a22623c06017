"""The normal mode's look at every width: wrapping tables (ui.htmltable) and the phone layout.

One constant style sheet, drawn on every run by app.py (never built from data):
- the HTML tables fill their container and wrap long text; light cells keep one line;
  a long table scrolls inside its own box with its header kept in view;
- under 640 px (a phone) a table that has cards shows them instead, and a row of
  counts (render.counts_row) stays one row of four instead of Streamlit's stacked
  columns, with numbers sized to fit.
Meeting mode (ui.meeting) adds its own style on top.
"""

from __future__ import annotations

import streamlit as st

PHONE = 640  # px: below this width the phone layout applies
COUNTS_KEY = "yz_counts"  # the key prefix of render.counts_row's containers (class st-key-yz_counts…)

STYLE = f"""
<style>
.yz-t {{ width: 100%; max-width: 100%; overflow-x: auto; margin-bottom: 0.5rem; }}
.yz-t.yz-scroll {{ max-height: 70vh; overflow-y: auto; }}
.yz-table {{ width: 100%; border-collapse: collapse; font-size: 0.9rem; line-height: 1.45; }}
.yz-table th, .yz-table td {{ border: 1px solid #d9dee7; padding: 0.3rem 0.55rem; text-align: left;
  vertical-align: top; white-space: normal; overflow-wrap: anywhere; word-break: normal; }}
.yz-table th {{ background: #eef2f8; font-weight: 600; position: sticky; top: 0; z-index: 1; }}
.yz-table td.yz-nw, .yz-table th.yz-nw {{ white-space: nowrap; overflow-wrap: normal; }}
.yz-table td.yz-num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.yz-table tbody tr:nth-child(even) td:not([style]) {{ background: #f8fafc; }}
.yz-cards {{ display: none; list-style: none; margin: 0 !important; padding: 0 !important; }}
.yz-card {{ border: 1px solid #d9dee7; border-left: 6px solid #9ca3af; border-radius: 6px;
  padding: 0.35rem 0.55rem; margin: 0 0 0.4rem 0 !important; font-size: 0.95rem; line-height: 1.4; }}
.yz-card p {{ margin: 0.2rem 0 0 0; overflow-wrap: anywhere; }}
.yz-card-head {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.35rem; }}
.yz-card-title {{ font-weight: 600; overflow-wrap: anywhere; }}
.yz-badge {{ border-radius: 4px; padding: 0 0.35rem; white-space: nowrap; font-size: 0.85rem; }}
.yz-badge-name {{ font-weight: 400; }}
.yz-meta {{ color: #4b5563; font-size: 0.85rem; margin-top: 0.15rem; }}
.yz-k {{ color: #4b5563; }}
.yz-card details {{ margin-top: 0.2rem; }}
.yz-card summary {{ color: #1f4e9c; cursor: pointer; }}
.yz-key {{ font-size: 0.85rem; color: #4b5563; line-height: 1.5; }}
@media (max-width: {PHONE}px) {{
  .yz-has-cards .yz-table {{ display: none; }}
  .yz-has-cards .yz-cards {{ display: block; }}
  .yz-t.yz-has-cards {{ overflow-x: visible; }}
  [class*="st-key-{COUNTS_KEY}"] [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap !important;
    flex-direction: row !important; gap: 0.4rem !important; }}
  [class*="st-key-{COUNTS_KEY}"] [data-testid="stColumn"] {{ min-width: 0 !important; width: auto !important;
    flex: 1 1 0 !important; }}
  [class*="st-key-{COUNTS_KEY}"] [data-testid="stMetricValue"] {{ font-size: 1.8rem !important; }}
  [class*="st-key-{COUNTS_KEY}"] [data-testid="stMetricLabel"] p {{ font-size: 0.85rem !important; white-space: nowrap; }}
}}
</style>
"""


def style() -> None:
    """Put the style sheet on the page (Streamlit sends style-only HTML to the event container)."""
    st.html(STYLE)
