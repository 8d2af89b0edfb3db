package dev.scapstream.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.scapstream.web.Rates.nulls;
import static dev.scapstream.web.Rates.rate;
import static dev.scapstream.web.Rates.round;

/** The home page: what the server is doing (polled every second), and every container and agent over a range. */
final class HomeView {
    record Status(String mode, boolean running, long now, List<String> hosts, Span span, int[] resolutions) {}

    record Span(long from, long to) {}

    record Overview(@JsonUnwrapped Axis axis, List<Agent> agents, List<Container> containers) {}

    record Agent(String host, long events, double eventsPerSec, long drops, long preemptions, Long newestTs,
                 AgentSeries series) {}

    record AgentSeries(Double[] events, Double[] drops) {}

    record Container(String host, String id, String name, String image, String runtime, long firstSeen, long lastSeen,
                     ContainerTotals totals, ContainerSeries series) {}

    private final Reads reads;
    private final RunState state;

    HomeView(Reads reads, RunState state) {
        this.reads = reads;
        this.state = state;
    }

    Status status() {
        long now = Instant.now().getEpochSecond();
        long[] span = reads.span();
        // a store another process is writing (a `live` elsewhere) counts as running when it is fresh
        boolean running = state.running() || (span != null && span[1] >= now - 5);
        return new Status(state.mode().name().toLowerCase(), running, now, reads.store().hosts(),
                span == null ? null : new Span(span[0], span[1]), MetricsStore.RESOLUTIONS);
    }

    Overview overview(String host, TimeRange r) {
        MetricsStore store = reads.store();
        List<String> hosts = host == null ? store.hosts() : List.of(host);
        List<Container> containers = new ArrayList<>();
        List<Agent> agents = new ArrayList<>();
        for (String h : hosts) {
            for (Rows.ContainerInfo c : store.containers(h, r.from(), r.to())) {
                List<Rows.ContainerRow> rows = store.containerSeries(h, c.id(), r.from(), r.to(), r.res());
                containers.add(new Container(h, c.id(), c.name(), c.image(), c.runtime(), c.firstSeen(), c.lastSeen(),
                        ContainerTotals.of(rows, r), ContainerSeries.of(rows, r)));
            }
            agents.add(agent(h, r));
        }
        return new Overview(Axis.of(r), agents, containers);
    }

    private Agent agent(String host, TimeRange r) {
        long events = 0;
        long drops = 0;
        long preemptions = 0;
        Double[] evs = nulls(r.points());
        Double[] drs = nulls(r.points());
        long newest = Long.MIN_VALUE;
        for (Rows.AgentRow a : reads.store().agent(host, r.from(), r.to(), r.res())) {
            events += a.events();
            drops += a.drops();
            preemptions += a.preemptions();
            int i = r.index(a.ts());
            if (i >= 0 && i < evs.length) {
                evs[i] = rate(a.events(), r.res());
                drs[i] = rate(a.drops(), r.res());
            }
            newest = Math.max(newest, a.ts());
        }
        return new Agent(host, events, round((double) events / (r.to() - r.from())), drops, preemptions,
                newest == Long.MIN_VALUE ? null : newest, new AgentSeries(evs, drs));
    }
}
