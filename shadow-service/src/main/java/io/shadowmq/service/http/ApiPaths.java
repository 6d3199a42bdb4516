package io.shadowmq.service.http;

/**
 * The paths of the API (docs/rest.md), in one place so routes and the OpenAPI document agree. Path parameters use
 * the same {@code {name}} syntax in Javalin and OpenAPI.
 *
 * <pre>{@code
 * router.get(ApiPaths.THING_SHADOW, ApiScope.THINGS_READ, shadows::get); // GET /api/v1/things/{id}/shadow
 * }</pre>
 */
public final class ApiPaths {

    public static final String BASE = "/api/v1";
    public static final String THINGS = BASE + "/things";
    public static final String THING = THINGS + "/{id}";
    public static final String THING_SECRET = THING + "/secret";
    public static final String THING_SHADOW = THING + "/shadow";
    public static final String THING_EVENTS = THING + "/events";
    public static final String THING_ACTION = THING + "/actions/{action}";
    public static final String THING_COMMANDS = THING + "/commands";
    public static final String THING_COMMAND = THING_COMMANDS + "/{commandId}";
    public static final String THING_SUMMARY = THING + "/summary";
    public static final String THING_HISTORY = THING + "/history";
    public static final String EVENTS = BASE + "/events";
    /** Not under {@link #THINGS}: there it would collide with a thing named {@code search}. */
    public static final String SEARCH_THINGS = BASE + "/search/things";

    public static final String SEARCH_THING_EVENTS = SEARCH_THINGS + "/events";
    public static final String KEYS = BASE + "/keys";
    public static final String KEY = KEYS + "/{id}";
    public static final String MODELS = BASE + "/models";
    public static final String MODEL = MODELS + "/{type}";
    public static final String SCHEDULES = BASE + "/owners/{owner}/schedules";
    public static final String SCHEDULE = SCHEDULES + "/{scheduleId}";
    public static final String SCHEDULE_RUNS = SCHEDULE + "/runs";
    public static final String GRANTS = BASE + "/owners/{owner}/grants";
    public static final String GRANT = GRANTS + "/{grantId}";
    public static final String AUDIT = BASE + "/owners/{owner}/audit";

    private ApiPaths() {}
}
