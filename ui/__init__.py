"""The Streamlit side of yzlogi: caching wrappers, the shared sidebar, small
render helpers. Pages import from here and from yzlogi; yzlogi never imports this."""
