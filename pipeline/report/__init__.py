"""`italic-cnn report`: one markdown document (plus PNGs beside it) comparing two revisions of the
pipeline's results, for a pull-request comment. DVC computes the params and metrics diffs; this package
only reads the rest of the results at each revision, draws them, and writes the page."""
