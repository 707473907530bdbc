"""publish: a multilingual document-publishing pipeline.

source (Markdown) -> segments -> catalogs (.pot/.po) -> translated documents -> artifacts (HTML, EPUB, PDF)
"""

__version__ = "0.1.0"
