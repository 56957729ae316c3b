package io.sluice.client;

import io.sluice.client.model.Backend;
import io.sluice.client.model.BackendList;
import io.sluice.client.model.BackendPatch;
import io.sluice.client.model.BackendSpec;
import io.sluice.client.model.Job;
import io.sluice.client.model.JobList;
import io.sluice.client.model.JobSpec;
import io.sluice.client.model.ReloadResult;
import io.sluice.client.model.Route;
import io.sluice.client.model.RouteList;
import io.sluice.client.model.Stats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** Every /api/v1 operation of docs/api/openapi.yaml (except /batch itself) as a {@link Call}. */
public final class Calls {

    static final String API = "/api/v1";

    private Calls() {}

    public static Call<List<Route>> routes() {
        return get(API + "/routes", RouteList.class, RouteList::routes);
    }

    public static Call<Route> route(String route) {
        return get(API + "/routes/" + segment(route), Route.class, Function.identity());
    }

    public static Call<List<Backend>> backends(String route) {
        return get(backendsPath(route), BackendList.class, BackendList::backends);
    }

    public static Call<Backend> backend(String route, String address) {
        return get(backendPath(route, address), Backend.class, Function.identity());
    }

    /** Adds a backend; not idempotent (a second add is a 409), so retried only when it certainly was not sent. */
    public static Call<Backend> addBackend(String route, BackendSpec spec) {
        return new Call<>("POST", backendsPath(route), spec, Backend.class, Backend.class::cast, false);
    }

    /** Sets a backend's weight (1..1000); idempotent. */
    public static Call<Backend> setWeight(String route, String address, int weight) {
        return new Call<>("PATCH", backendPath(route, address), new BackendPatch(weight), Backend.class,
                Backend.class::cast, true);
    }

    /** No new requests to the backend; in-flight ones finish. Idempotent. */
    public static Call<Backend> drain(String route, String address) {
        return new Call<>("POST", backendPath(route, address) + "/drain", null, Backend.class, Backend.class::cast, true);
    }

    /** Lets a drained backend take requests again. Idempotent. */
    public static Call<Backend> enable(String route, String address) {
        return new Call<>("POST", backendPath(route, address) + "/enable", null, Backend.class, Backend.class::cast, true);
    }

    /** Removes a backend; answers its last state. Retried like any DELETE (a repeat answers 404). */
    public static Call<Backend> removeBackend(String route, String address) {
        return new Call<>("DELETE", backendPath(route, address), null, Backend.class, Backend.class::cast, true);
    }

    public static Call<Stats> stats() {
        return get(API + "/stats", Stats.class, Function.identity());
    }

    /** Re-reads the configuration file; a 422 carries every validation error. Not retried. */
    public static Call<ReloadResult> reloadConfig() {
        return new Call<>("POST", API + "/config/reload", null, ReloadResult.class, ReloadResult.class::cast, false);
    }

    public static Call<List<Job>> jobs() {
        return get(API + "/jobs", JobList.class, JobList::jobs);
    }

    public static Call<Job> job(String id) {
        return get(API + "/jobs/" + segment(id), Job.class, Function.identity());
    }

    /** Starts a job; not idempotent (each POST starts one). */
    public static Call<Job> createJob(JobSpec spec) {
        return new Call<>("POST", API + "/jobs", spec, Job.class, Job.class::cast, false);
    }

    /** Cancels a queued or running job, forgets a finished one; answers its last state. */
    public static Call<Job> cancelJob(String id) {
        return new Call<>("DELETE", API + "/jobs/" + segment(id), null, Job.class, Job.class::cast, true);
    }

    private static String backendsPath(String route) {
        return API + "/routes/" + segment(route) + "/backends";
    }

    private static String backendPath(String route, String address) {
        return backendsPath(route) + "/" + segment(address);
    }

    @SuppressWarnings("unchecked")
    private static <W, T> Call<T> get(String path, Class<W> wire, Function<W, T> unwrap) {
        return new Call<>("GET", path, null, wire, o -> unwrap.apply((W) o), true);
    }

    /** Percent-encodes one path segment (RFC 3986 pchar minus what the API names reserve: {@code [ ] %}). */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("path segment must not be empty");
        }
        if (allPchars(value)) {
            return value; // the usual route names and host:port addresses: nothing to encode, nothing to copy
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (pchar(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private static boolean allPchars(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!pchar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the character (or UTF-8 byte) {@code c} goes into a path segment as it is. */
    private static boolean pchar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~:@!$&'()*+,;=".indexOf(c) >= 0;
    }
}
