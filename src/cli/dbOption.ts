/** The `--db` help text every command shares. */
export const DB_OPTION_HELP =
  "history database: an SQLite file or a postgres:// URL (default $GGUF_BENCH_DB, else $XDG_DATA_HOME/gguf-bench/results.db)";
