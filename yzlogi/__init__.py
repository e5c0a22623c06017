"""yzlogi: the domain package of the Yuzhong modern-logistics plan dashboard.

It never imports streamlit: everything here runs from the command line and in
tests without a UI (a test enforces it).
"""

__version__ = "0.1.0"
