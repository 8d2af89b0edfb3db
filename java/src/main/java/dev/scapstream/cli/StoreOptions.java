package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.sqlite.SqliteStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where metrics go, and how long they stay (a picocli mixin shared by replay, live and ui). */
final class StoreOptions {
    @Option(names = "--db", paramLabel = "PATH", description = "SQLite file (default ${DEFAULT-VALUE})",
            defaultValue = "scapstream-data/scapstream.db")
    Path db;

    @Option(names = "--keep-raw", description = "keep per-second rows this long (default ${DEFAULT-VALUE})", defaultValue = "2d")
    String keepRaw;

    @Option(names = "--keep-10s", description = "keep 10 s rollups (default ${DEFAULT-VALUE})", defaultValue = "14d")
    String keep10s;

    @Option(names = "--keep-1h", description = "keep 1 h rollups (default ${DEFAULT-VALUE})", defaultValue = "90d")
    String keep1h;

    @Option(names = "--keep-1d", description = "keep 1 d rollups (default ${DEFAULT-VALUE})", defaultValue = "never")
    String keep1d;

    MetricsStore open() {
        return SqliteStore.open(db);
    }

    String where() {
        return "SQLite " + db;
    }

    Retention retention() {
        return new Retention(Retention.parse(keepRaw), Retention.parse(keep10s), Retention.parse(keep1h),
                Retention.parse(keep1d));
    }
}
