#include <chrono>

#include "adapters/request.hpp"
#include "adapters/routes.hpp"
#include "app/complaints.hpp"
#include "app/customers.hpp"
#include "domain/phone.hpp"
#include "sales/ids.hpp"

namespace customer::adapters {
namespace {
using sales::http::Request;
using sales::http::Response;

constexpr std::size_t kNameLength = 50;
constexpr std::size_t kNoteLength = 1000;
constexpr std::size_t kReasonLength = 500;
constexpr std::int64_t kMaxFen = 1'000'000'000'000'000;  // 10 trillion yuan
constexpr std::int64_t kMaxArea = 10'000'000;            // 100,000 m² in 0.01 m²

const std::vector<std::string> kRead = {"customer.manage", "customer.complaint"};
const std::vector<std::string> kManage = {"customer.manage"};

std::string id_number(const Body& body, const std::string& name) {
    const auto value = body.text(name, 32);
    for (char c : value) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!ok)
            invalid(body.path(name), "must be 1–32 letters and digits (18 for a resident ID card)");
    }
    return value;
}

app::Needs parse_needs(const nlohmann::json& object, const std::string& path) {
    const Body b(object, path + ".",
                 {"budget_min_fen", "budget_max_fen", "layout", "area_min_centi_m2",
                  "area_max_centi_m2", "location", "purchase_horizon"});
    app::Needs n;
    n.budget_min_fen = b.opt_integer("budget_min_fen", 0, kMaxFen);
    n.budget_max_fen = b.opt_integer("budget_max_fen", 0, kMaxFen);
    if (n.budget_min_fen && n.budget_max_fen && *n.budget_min_fen > *n.budget_max_fen)
        invalid(b.path("budget_min_fen"), "must not exceed budget_max_fen");
    n.layout = b.opt_text("layout", 32);
    n.area_min_centi_m2 = b.opt_integer("area_min_centi_m2", 0, kMaxArea);
    n.area_max_centi_m2 = b.opt_integer("area_max_centi_m2", 0, kMaxArea);
    if (n.area_min_centi_m2 && n.area_max_centi_m2 && *n.area_min_centi_m2 > *n.area_max_centi_m2)
        invalid(b.path("area_min_centi_m2"), "must not exceed area_max_centi_m2");
    n.location = b.opt_text("location", 100);
    n.horizon =
        b.opt_enumeration("purchase_horizon", domain::parse_horizon, domain::horizon_names());
    return n;
}

app::NewEvent parse_event(const Body& b, sales::TimePoint now,
                          std::optional<domain::Channel> default_channel) {
    app::NewEvent e;
    e.kind = b.enumeration("kind", domain::parse_event_kind, domain::event_kind_names());
    e.occurred_at = b.has("occurred_at") && !b.is_null("occurred_at") ? b.time("occurred_at") : now;
    if (default_channel && (!b.has("channel") || b.is_null("channel")))
        e.channel = *default_channel;
    else
        e.channel = b.enumeration("channel", domain::parse_channel, domain::channel_names());
    e.note = b.opt_text("note", kNoteLength);
    e.satisfaction = b.opt_integer("satisfaction", 1, 5);
    return e;
}

const std::vector<std::string> kEventFields = {"kind", "occurred_at", "channel", "note",
                                               "satisfaction"};

std::int64_t this_year(const app::Context& ctx) {
    return static_cast<int>(sales::shanghai_date(ctx.clock.now()).year());
}

app::NewCustomer parse_new_customer(const app::Context& ctx, const nlohmann::json& json) {
    const Body b(json, "",
                 {"project_id", "name", "gender", "birth_year", "phone", "id_number", "occupation",
                  "address", "channel", "needs", "type", "first_event"});
    app::NewCustomer in;
    in.project_id = b.uuid("project_id");
    in.name = b.text("name", kNameLength);
    in.gender = b.opt_enumeration("gender", domain::parse_gender, domain::gender_names());
    in.birth_year = b.opt_integer("birth_year", 1900, this_year(ctx));
    std::string problem;
    const auto phone = domain::normalise_phone(b.text("phone", 32), problem);  // CUS-1
    if (!phone)
        invalid("phone", problem);
    in.phone = *phone;
    if (b.has("id_number") && !b.is_null("id_number"))
        in.id_number = id_number(b, "id_number");
    in.occupation = b.opt_text("occupation", kNameLength);
    in.address = b.opt_text("address", 200);
    in.channel = b.enumeration("channel", domain::parse_channel, domain::channel_names());
    if (b.has("needs") && !b.is_null("needs"))
        in.needs = parse_needs(b.object("needs"), "needs");
    in.type = b.opt_enumeration("type", domain::parse_type, domain::type_names());
    // CUS-2: a new customer comes with its first event (first call or first visit).
    const Body event(b.object("first_event"), "first_event.", kEventFields);
    in.first_event = parse_event(event, ctx.clock.now(), in.channel);
    in.attempt = json;
    return in;
}

app::ListFilter parse_filter(const Request& request) {
    known_query(request, {"project_id", "q", "stage", "type", "rep_id", "channel",
                          "last_contact_from", "last_contact_to", "archived", "limit", "offset"});
    app::ListFilter f;
    f.project_id = query_text(request, "project_id", 64);
    if (f.project_id && !sales::is_uuid(*f.project_id))
        invalid("project_id", "must be a UUID");
    f.q = query_text(request, "q", kNameLength);
    f.stage = query_enum(request, "stage", domain::parse_stage, domain::stage_names());
    f.type = query_enum(request, "type", domain::parse_type, domain::type_names());
    f.channel = query_enum(request, "channel", domain::parse_channel, domain::channel_names());
    f.rep_id = query_text(request, "rep_id", 64);
    f.last_contact_from = query_date(request, "last_contact_from");
    f.last_contact_to = query_date(request, "last_contact_to");
    if (f.last_contact_from && f.last_contact_to && *f.last_contact_from > *f.last_contact_to)
        invalid("last_contact_from", "must not be after last_contact_to");
    f.archived = query_bool(request, "archived", false);
    f.limit = query_integer(request, "limit", 50, 1, 500);
    f.offset = query_integer(request, "offset", 0, 0, 1'000'000);
    return f;
}

}  // namespace

void add_customer_routes(sales::service::Service& service, const app::Context& ctx) {
    const auto* c = &ctx;

    add_route(service, "POST", "/api/v1/customers", kManage,
              [c](Request& request, const app::Caller& caller) {
                  const auto input = parse_new_customer(*c, body_of(request));
                  const auto outcome = app::create_customer(*c, caller, input);
                  if (!outcome.created)
                      return Response::json(409, outcome.body);  // CUS-3 collision, stored
                  auto response = Response::json(201, outcome.body);
                  response.headers["Location"] =
                      "/api/v1/customers/" + outcome.body["id"].get<std::string>();
                  return response;
              });

    add_route(service, "GET", "/api/v1/customers", kRead,
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::list_customers(*c, caller, parse_filter(request)));
              });

    add_route(service, "GET", "/api/v1/customers/{id}", kRead,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {});
                  return Response::json(200,
                                        app::get_customer(*c, caller, request.params.at("id")));
              });

    add_route(service, "PATCH", "/api/v1/customers/{id}", kManage,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"gender", "birth_year", "occupation", "type", "needs"});
                  app::CustomerPatch patch;
                  if (b.has("gender"))
                      patch.gender =
                          b.opt_enumeration("gender", domain::parse_gender, domain::gender_names());
                  if (b.has("birth_year"))
                      patch.birth_year = b.opt_integer("birth_year", 1900, this_year(*c));
                  if (b.has("occupation"))
                      patch.occupation = b.opt_text("occupation", kNameLength);
                  if (b.has("type"))
                      patch.type =
                          b.opt_enumeration("type", domain::parse_type, domain::type_names());
                  if (b.has("needs"))
                      patch.needs = b.is_null("needs") ? app::Needs{}
                                                       : parse_needs(b.object("needs"), "needs");
                  return Response::json(
                      200, app::update_customer(*c, caller, request.params.at("id"), patch));
              });

    add_route(
        service, "POST", "/api/v1/customers/{id}/stage", kManage,
        [c](Request& request, const app::Caller& caller) {
            const auto json = body_of(request);
            const Body b(json, "", {"stage", "reason"});
            const auto stage = b.enumeration("stage", domain::parse_stage, domain::stage_names());
            return Response::json(200, app::change_stage(*c, caller, request.params.at("id"), stage,
                                                         b.opt_text("reason", kReasonLength)));
        });

    add_route(service, "POST", "/api/v1/customers/{id}/events", kRead,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", kEventFields);
                  const auto event = parse_event(b, c->clock.now(), std::nullopt);
                  return Response::json(201,
                                        app::add_event(*c, caller, request.params.at("id"), event));
              });

    add_route(service, "GET", "/api/v1/customers/{id}/events", kRead,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"limit", "offset"});
                  return Response::json(
                      200, app::list_events(*c, caller, request.params.at("id"),
                                            query_integer(request, "limit", 50, 1, 500),
                                            query_integer(request, "offset", 0, 0, 1'000'000)));
              });

    // CUS-9 corrections asked for by the customer.
    add_route(service, "POST", "/api/v1/customers/{id}/corrections", kManage,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"field", "value", "reason"});
                  const auto field = b.text("field", 32);
                  std::optional<std::string> value;
                  if (field == "id_number") {
                      if (!b.is_null("value"))
                          value = id_number(b, "value");
                  } else {
                      value = b.opt_text("value", field == "address" ? 200
                                                  : field == "phone" ? 32
                                                                     : kNameLength);
                  }
                  const auto reason = b.text("reason", kReasonLength);
                  return Response::json(
                      200, app::correct_customer(*c, caller, request.params.at("id"), field, value,
                                                 reason));
              });
    add_route(service, "GET", "/api/v1/customers/{id}/corrections", kManage,
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::list_corrections(*c, caller, request.params.at("id")));
              });

    // CUS-10 complaints.
    add_route(service, "POST", "/api/v1/customers/{id}/complaints", kRead,
              [c](Request& request, const app::Caller& caller) {
                  const auto json = body_of(request);
                  const Body b(json, "", {"category", "description", "received_on", "channel"});
                  app::NewComplaint in;
                  in.category = b.enumeration("category", domain::parse_complaint_category,
                                              domain::complaint_category_names());
                  in.description = b.text("description", 2000);
                  in.received_on = b.opt_date("received_on");
                  if (b.has("channel") && !b.is_null("channel"))
                      in.channel =
                          b.enumeration("channel", domain::parse_channel, domain::channel_names());
                  auto response = Response::json(
                      201, app::record_complaint(*c, caller, request.params.at("id"), in));
                  return response;
              });
    add_route(service, "GET", "/api/v1/complaints", kRead,
              [c](Request& request, const app::Caller& caller) {
                  known_query(request, {"project_id", "status", "overdue", "limit", "offset"});
                  const auto project_id = query_uuid(request, "project_id");
                  const auto status = query_enum(request, "status", domain::parse_complaint_status,
                                                 "open, responded, resolved");
                  return Response::json(
                      200, app::list_complaints(*c, caller, project_id, status,
                                                query_bool(request, "overdue", false),
                                                query_integer(request, "limit", 50, 1, 500),
                                                query_integer(request, "offset", 0, 0, 1'000'000)));
              });
    add_route(service, "GET", "/api/v1/complaints/{id}", kRead,
              [c](Request& request, const app::Caller& caller) {
                  return Response::json(200,
                                        app::get_complaint(*c, caller, request.params.at("id")));
              });
    for (const bool respond : {true, false}) {
        add_route(service, "POST",
                  std::string("/api/v1/complaints/{id}/") + (respond ? "respond" : "resolve"),
                  {"customer.complaint"},
                  [c, respond](Request& request, const app::Caller& caller) {
                      const auto json = body_of(request);
                      const char* field = respond ? "response" : "result";
                      const Body b(json, "", {field});
                      const auto text = b.text(field, 2000);
                      return Response::json(
                          200, app::complaint_action(*c, caller, request.params.at("id"),
                                                     respond ? domain::ComplaintAction::respond
                                                             : domain::ComplaintAction::resolve,
                                                     text));
                  });
    }
}

}  // namespace customer::adapters
