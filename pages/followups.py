"""督办事项 — what the meetings decided about red and yellow lights, and whether it was done
(?unit=区交通运输委&light=red): every item newest-due first, its history, and the forms."""

import streamlit as st

from ui import context, followups, slides

view = context.require()
slides.take_over("followups", view)  # meeting mode: this view's slide instead of the page

st.title("督办事项")
followups.page(view)
