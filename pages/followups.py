"""督办事项 — what the meetings decided about red and yellow lights, and whether it was done
(?unit=区交通运输委&light=red): every item newest-due first, its history, and the forms."""

import streamlit as st

from ui import context, followups

view = context.require()

st.title("督办事项")
followups.page(view)
