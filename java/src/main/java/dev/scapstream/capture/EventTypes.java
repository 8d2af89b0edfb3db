package dev.scapstream.capture;

/** libscap event type numbers (driver/ppm_events_public.h, libs 0.20.0) the aggregators look at. */
public final class EventTypes {
    private EventTypes() {}

    public static final int GENERIC_E = 0;
    public static final int GENERIC_X = 1;
    public static final int SCHEDSWITCH_6_E = 152;
    public static final int PROCEXIT_1_E = 186;
    public static final int SIGNALDELIVER_E = 232;
    public static final int PROCINFO_E = 234;
    public static final int PAGE_FAULT_E = 290;
    public static final int CONTAINER_JSON_E = 272;
    public static final int CLONE_20_X = 223;
    public static final int FORK_20_X = 225;
    public static final int VFORK_20_X = 227;
    public static final int EXECVE_19_X = 293;
    public static final int EXECVEAT_X = 331;
    public static final int CLONE3_X = 335;
    public static final int CONTAINER_JSON_2_E = 324;
}
