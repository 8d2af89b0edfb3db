package dev.scapstream.capture;

import static dev.scapstream.capture.RecordLayout.*;

/** A file or socket name as seen by libsinsp (fd.name), interned by the shim under a key. */
public final class FdInfo {
    public final int key;
    public final int type;
    public final int l4proto;
    /** 1 client, 2 server, 0 unknown. */
    public final int role;
    public final int sport;
    public final int dport;
    /** File path, or the tuple cip:cport->sip:sport for a connection. */
    public final String name;

    public FdInfo(int key, int type, int l4proto, int role, int sport, int dport, String name) {
        this.key = key;
        this.type = type;
        this.l4proto = l4proto;
        this.role = role;
        this.sport = sport;
        this.dport = dport;
        this.name = name;
    }

    public boolean isFile() {
        return type == FD_TYPE_FILE || type == FD_TYPE_FILE_V2;
    }

    public boolean isNetwork() {
        return type == FD_TYPE_IPV4_SOCK || type == FD_TYPE_IPV6_SOCK;
    }

    public String l4Name() {
        switch (l4proto) {
            case L4_TCP: return "tcp";
            case L4_UDP: return "udp";
            case L4_ICMP: return "icmp";
            case L4_RAW: return "raw";
            default: return "unknown";
        }
    }
}
