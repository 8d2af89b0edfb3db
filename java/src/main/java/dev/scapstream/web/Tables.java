package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows.ConnectionRow;
import dev.scapstream.store.Rows.ErrnoRow;
import dev.scapstream.store.Rows.FileRow;
import dev.scapstream.store.Rows.PortRow;
import dev.scapstream.store.Rows.SyscallRow;

import static dev.scapstream.web.TopTable.key;

/** The container and process pages' tables: files (lsof), connections and ports (netstat), syscalls and errors (strace -c). */
final class Tables {
    static final TopTable<FileRow> FILES = TopTable.of(MetricsStore::files, (FileRow f) -> key(f.pid(), f.file()))
            .perProcess(FileRow::pid)
            .label("file", FileRow::file)
            .label("pid", FileRow::pid)
            .comm(FileRow::pid)
            .sum("bytesIn", FileRow::bytesIn)
            .sum("bytesOut", FileRow::bytesOut)
            .sum("opsIn", FileRow::opsIn)
            .sum("opsOut", FileRow::opsOut)
            .sum("opens", FileRow::opens)
            .sum("openErrors", FileRow::openErrors)
            .sortBy("bytesIn", "bytesOut");

    static final TopTable<ConnectionRow> CONNECTIONS = TopTable.of(MetricsStore::connections,
                    (ConnectionRow c) -> key(c.pid(), c.l4(), c.tuple(), c.serverPort()))
            .perProcess(ConnectionRow::pid)
            .label("l4", ConnectionRow::l4)
            .label("tuple", ConnectionRow::tuple)
            .label("serverPort", ConnectionRow::serverPort)
            .label("pid", ConnectionRow::pid)
            .comm(ConnectionRow::pid)
            .sum("bytesIn", ConnectionRow::bytesIn)
            .sum("bytesOut", ConnectionRow::bytesOut)
            .sortBy("bytesIn", "bytesOut");

    static final TopTable<PortRow> PORTS = TopTable.of(MetricsStore::ports, (PortRow p) -> key(p.l4(), p.port()))
            .label("l4", PortRow::l4)
            .label("port", PortRow::port)
            .sum("bytesIn", PortRow::bytesIn)
            .sum("bytesOut", PortRow::bytesOut)
            .sortBy("bytesIn", "bytesOut");

    static final TopTable<SyscallRow> SYSCALLS = TopTable.of(MetricsStore::syscalls, SyscallRow::syscall)
            .perProcess(SyscallRow::pid)
            .label("syscall", SyscallRow::syscall)
            .sum("calls", SyscallRow::calls)
            .sum("errors", SyscallRow::errors)
            .sum("totalLatencyNs", SyscallRow::totalLatencyNs)
            .mean("avgLatencyNs", "totalLatencyNs", "calls")
            .max("maxLatencyNs", SyscallRow::maxLatencyNs)
            .sortBy("calls");

    static final TopTable<ErrnoRow> ERRNOS = TopTable.of(MetricsStore::errnos, (ErrnoRow e) -> key(e.syscall(), e.errno()))
            .perProcess(ErrnoRow::pid)
            .label("syscall", ErrnoRow::syscall)
            .label("errno", ErrnoRow::errno)
            .label("name", (ErrnoRow e) -> Errnos.name(e.errno()))
            .sum("count", ErrnoRow::count)
            .sortBy("count");

    private final Reads reads;

    Tables(Reads reads) {
        this.reads = reads;
    }

    TopTable.Answer files(String host, String cid, Long pid, TimeRange r) {
        return FILES.read(reads, host, cid, pid, r);
    }

    TopTable.Answer connections(String host, String cid, Long pid, TimeRange r) {
        return CONNECTIONS.read(reads, host, cid, pid, r);
    }

    TopTable.Answer ports(String host, String cid, TimeRange r) {
        return PORTS.read(reads, host, cid, null, r);
    }

    TopTable.Answer syscalls(String host, String cid, Long pid, TimeRange r) {
        return SYSCALLS.read(reads, host, cid, pid, r);
    }

    TopTable.Answer errnos(String host, String cid, Long pid, TimeRange r) {
        return ERRNOS.read(reads, host, cid, pid, r);
    }
}
