"""数据管理 — the monthly cycle: who has reported (报送情况, 催报清单), the forms, upload (report,
change digest, confirm; merged by default), history, time travel, rollback.

Viewing is open to everyone; uploading and rollback need the upload passcode.
"""

import streamlit as st

from ui import access, history, returns, shell, upload

shell.plan()  # routes the run through app.py first (ui.ensure_router)
history.follow_view_request()

st.title("数据管理")
returns.section()
upload.template_section()
st.header("上传权限")
unlocked = access.panel()
upload.section(unlocked)
history.section(unlocked)
