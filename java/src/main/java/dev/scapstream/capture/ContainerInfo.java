package dev.scapstream.capture;

/** A container as libsinsp sees it; key 0 is the host. Name and image may arrive late. */
public final class ContainerInfo {
    public static final String HOST_ID = "host";

    public final int key;
    public String id;
    public String fullId;
    public String name;
    public String image;
    public String runtime;
    /** True once the runtime answered (docker/podman API) or the trace carried the metadata. */
    public boolean lookupDone;

    public ContainerInfo(int key, String id) {
        this.key = key;
        this.id = id;
        this.fullId = id;
        this.name = key == 0 ? "host" : "";
        this.image = "";
        this.runtime = key == 0 ? "host" : "unknown";
        this.lookupDone = key == 0;
    }

    public boolean isHost() {
        return key == 0;
    }
}
