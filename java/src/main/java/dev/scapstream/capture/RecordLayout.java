package dev.scapstream.capture;

/** Offsets of the batch records; mirrors native/src/scapstream.h (keep the two in step). */
public final class RecordLayout {
    private RecordLayout() {}

    public static final int REC_EVENT = 1;
    public static final int REC_THREAD = 2;
    public static final int REC_CONTAINER = 3;
    public static final int REC_FD = 4;
    public static final int REC_MEMORY = 5;
    public static final int REC_SKIPPED = 6;

    // every record
    static final int KIND = 0;
    static final int LEN = 2;

    // event record
    public static final int EVENT_SIZE = 56;
    static final int EV_TYPE = 4;
    static final int EV_NAME_ID = 6;
    static final int EV_TS = 8;
    static final int EV_TID = 16;
    static final int EV_RES = 24;
    static final int EV_EXTRA = 32;
    static final int EV_CPU = 40;
    static final int EV_FLAGS = 42;
    static final int EV_FDTYPE = 43;
    static final int EV_CONTAINER = 44;
    static final int EV_FDKEY = 48;
    static final int EV_FDNUM = 52;

    public static final int F_EXIT = 0x01;
    public static final int F_IO_READ = 0x02;
    public static final int F_IO_WRITE = 0x04;
    public static final int F_SYSCALL = 0x08;
    public static final int F_FAILED = 0x10;
    public static final int F_OPEN = 0x20;

    // thread record
    static final int TH_TID = 8;
    static final int TH_PID = 16;
    static final int TH_PTID = 24;
    static final int TH_CLONE_TS = 32;
    static final int TH_EXEC_TS = 40;
    static final int TH_UID = 48;
    static final int TH_CONTAINER = 52;
    static final int TH_FLAGS = 56;
    static final int TH_VPID = 60;
    static final int TH_STRINGS = 64;

    // container record
    static final int CT_KEY = 8;
    static final int CT_TYPE = 12;
    static final int CT_LOOKUP = 16;
    static final int CT_STRINGS = 24;

    // fd record
    static final int FD_KEY = 8;
    static final int FD_TYPE = 12;
    static final int FD_L4 = 13;
    static final int FD_ROLE = 14;
    static final int FD_SPORT = 16;
    static final int FD_DPORT = 18;
    static final int FD_STRINGS = 24;

    // memory record
    static final int MEM_PID = 8;
    static final int MEM_TS = 16;
    static final int MEM_VMSIZE = 24;
    static final int MEM_VMRSS = 28;
    static final int MEM_VMSWAP = 32;
    static final int MEM_PF = 40;

    // libscap's scap_fd_type values used by the aggregators
    public static final int FD_TYPE_FILE = 1;
    public static final int FD_TYPE_DIRECTORY = 2;
    public static final int FD_TYPE_IPV4_SOCK = 3;
    public static final int FD_TYPE_IPV6_SOCK = 4;
    public static final int FD_TYPE_IPV4_SERVSOCK = 5;
    public static final int FD_TYPE_IPV6_SERVSOCK = 6;
    public static final int FD_TYPE_FILE_V2 = 16;
    public static final int FD_TYPE_UNIX_SOCK = 8;
    public static final int FD_TYPE_NONE = 0xff;

    // scap_l4_proto
    public static final int L4_TCP = 2;
    public static final int L4_UDP = 3;
    public static final int L4_ICMP = 4;
    public static final int L4_RAW = 5;
}
