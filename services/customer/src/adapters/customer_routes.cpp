#include <algorithm>
#include <chrono>

#include "adapters/routes.hpp"
#include "app/complaints.hpp"
#include "app/customers.hpp"
#include "domain/phone.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"

namespace customer::adapters {
namespace {

constexpr std::size_t kNameLength = 50;
constexpr std::size_t kNoteLength = 1000;
constexpr std::size_t kReasonLength = 500;
constexpr std::int64_t kMaxArea = 10'000'000;  // 100,000 m² in 0.01 m²

const std::vector<std::string> kRead = {"customer.manage", "customer.complaint"};
const std::vector<std::string> kManage = {"customer.manage"};
const std::vector<std::string> kNeedsFields = {"budget_min_fen",    "budget_max_fen",    "layout",
                                               "area_min_centi_m2", "area_max_centi_m2", "location",
                                               "purchase_horizon"};
const std::vector<std::string> kEventFields = {"kind", "occurred_at", "channel", "note",
                                               "satisfaction"};

std::string id_number(const Body& body, const std::string& name) {
    const auto value = body.text(name, 32);
    for (char c : value) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!ok) {
            body.invalid(name, "must be 1–32 letters and digits (18 for a resident ID card)");
            break;
        }
    }
    return value;
}

app::Needs parse_needs(const Body& b) {
    app::Needs n;
    n.budget_min_fen = b.opt_integer("budget_min_fen", 0, sales::service::kMaxFen);
    n.budget_max_fen = b.opt_integer("budget_max_fen", 0, sales::service::kMaxFen);
    if (n.budget_min_fen && n.budget_max_fen && *n.budget_min_fen > *n.budget_max_fen)
        b.invalid("budget_min_fen", "must not exceed budget_max_fen");
    n.layout = b.opt_text("layout", 32);
    n.area_min_centi_m2 = b.opt_integer("area_min_centi_m2", 0, kMaxArea);
    n.area_max_centi_m2 = b.opt_integer("area_max_centi_m2", 0, kMaxArea);
    if (n.area_min_centi_m2 && n.area_max_centi_m2 && *n.area_min_centi_m2 > *n.area_max_centi_m2)
        b.invalid("area_min_centi_m2", "must not exceed area_max_centi_m2");
    n.location = b.opt_text("location", 100);
    n.horizon = b.opt_enumeration("purchase_horizon", domain::parse_horizon,
                                  sales::enum_names<domain::Horizon>().list());
    return n;
}

app::NewEvent parse_event(const Body& b, sales::TimePoint now,
                          std::optional<domain::Channel> default_channel) {
    app::NewEvent e;
    e.kind = b.enumeration("kind", domain::parse_event_kind,
                           sales::enum_names<domain::EventKind>().list());
    e.occurred_at = b.opt_time("occurred_at").value_or(now);
    if (default_channel && !b.has("channel"))
        e.channel = *default_channel;
    else
        e.channel = b.enumeration("channel", domain::parse_channel,
                                  sales::enum_names<domain::Channel>().list());
    e.note = b.opt_text("note", kNoteLength);
    e.satisfaction = b.opt_integer("satisfaction", 1, 5);
    return e;
}

std::int64_t this_year(const app::Context& ctx) {
    return static_cast<int>(sales::shanghai_date(ctx.clock.now()).year());
}

app::NewCustomer parse_new_customer(const app::Context& ctx, const Body& b) {
    app::NewCustomer in;
    in.project_id = b.uuid("project_id");
    in.name = b.text("name", kNameLength);
    in.gender = b.opt_enumeration("gender", domain::parse_gender,
                                  sales::enum_names<domain::Gender>().list());
    in.birth_year = b.opt_integer("birth_year", 1900, this_year(ctx));
    if (const auto text = b.text("phone", 32); !text.empty()) {
        std::string problem;
        if (const auto phone = domain::normalise_phone(text, problem))  // CUS-1
            in.phone = *phone;
        else
            b.invalid("phone", problem);
    }
    if (b.has("id_number"))
        in.id_number = id_number(b, "id_number");
    in.occupation = b.opt_text("occupation", kNameLength);
    in.address = b.opt_text("address", 200);
    in.channel = b.enumeration("channel", domain::parse_channel,
                               sales::enum_names<domain::Channel>().list());
    if (const auto needs = b.opt_object("needs", kNeedsFields))
        in.needs = parse_needs(*needs);
    in.type = b.opt_enumeration("type", domain::parse_type,
                                sales::enum_names<domain::CustomerType>().list());
    // CUS-2: a new customer comes with its first event (first call or first visit).
    in.first_event =
        parse_event(b.object("first_event", kEventFields), ctx.clock.now(), in.channel);
    in.attempt = b.raw();
    return in;
}

app::ListFilter parse_filter(const Query& q) {
    app::ListFilter f;
    f.project_id = q.uuid("project_id");
    f.q = q.text("q", kNameLength);
    f.stage =
        q.enumeration("stage", domain::parse_stage, sales::enum_names<domain::Stage>().list());
    f.type =
        q.enumeration("type", domain::parse_type, sales::enum_names<domain::CustomerType>().list());
    f.channel = q.enumeration("channel", domain::parse_channel,
                              sales::enum_names<domain::Channel>().list());
    f.rep_id = q.text("rep_id", 64);
    f.last_contact_from = q.date("last_contact_from");
    f.last_contact_to = q.date("last_contact_to");
    if (f.last_contact_from && f.last_contact_to && *f.last_contact_from > *f.last_contact_to)
        q.invalid("last_contact_from", "must not be after last_contact_to");
    f.archived = q.boolean("archived", false);
    f.limit = q.integer("limit", 50, 1, 500);
    f.offset = q.integer("offset", 0, 0, 1'000'000);
    return f;
}

// CUS-9: the corrected value's own rules (name, phone, id_number, address).
std::optional<std::string> correction_value(const Body& b, const std::string& field) {
    if (field == "id_number")
        return b.is_null("value") ? std::nullopt : std::optional(id_number(b, "value"));
    return b.opt_text("value", field == "address" ? 200 : field == "phone" ? 32 : kNameLength);
}

}  // namespace

app::Caller caller_of(const Request& request, const Principal& principal, std::string route) {
    if (route.empty())
        route = request.method + " " + request.path;
    return app::caller_from(principal, request.request_id, std::move(route));
}

void add_customer_routes(sales::service::Service& service, const app::Context& ctx) {
    const auto* c = &ctx;

    service.route("POST", "/api/v1/customers", kManage, [c](Request& r, const Principal& p) {
        const auto input =
            read_body(r,
                      {"project_id", "name", "gender", "birth_year", "phone", "id_number",
                       "occupation", "address", "channel", "needs", "type", "first_event"},
                      [c](const Body& b) { return parse_new_customer(*c, b); });
        const auto outcome = app::create_customer(*c, caller_of(r, p), input);
        if (!outcome.created)
            return Response::json(409, outcome.body);  // CUS-3 collision, stored
        auto response = Response::json(201, outcome.body);
        response.headers["Location"] = "/api/v1/customers/" + outcome.body["id"].get<std::string>();
        return response;
    });

    service.route("GET", "/api/v1/customers", kRead, [c](Request& r, const Principal& p) {
        const auto filter =
            read_query(r,
                       {"project_id", "q", "stage", "type", "rep_id", "channel",
                        "last_contact_from", "last_contact_to", "archived", "limit", "offset"},
                       parse_filter);
        return Response::json(
            200, app::list_customers(*c, caller_of(r, p, "GET /api/v1/customers"), filter));
    });

    // Display data of up to 100 customers by id (the contract search's buyers; the members and
    // buyers of referral points for finance, CON-11), CUS-8 masked.
    service.route("GET", "/api/v1/customers:lookup",
                  {"customer.manage", "customer.complaint", "referral.confirm", "referral.redeem"},
                  [c](Request& r, const Principal& p) {
                      const auto ids = read_query(r, {"ids"}, [](const Query& q) {
                          std::vector<std::string> out;
                          const auto text = q.text("ids", app::kMaxLookupIds * 37);
                          if (!text) {
                              q.invalid("ids", "is required: comma-separated customer ids");
                              return out;
                          }
                          std::size_t start = 0;
                          while (true) {
                              const auto comma = text->find(',', start);
                              const auto id = text->substr(
                                  start, comma == std::string::npos ? comma : comma - start);
                              if (!sales::is_uuid(id)) {
                                  q.invalid("ids", "must be comma-separated UUIDs");
                                  return out;
                              }
                              if (std::find(out.begin(), out.end(), id) == out.end())
                                  out.push_back(id);
                              if (comma == std::string::npos)
                                  break;
                              start = comma + 1;
                          }
                          if (out.size() > app::kMaxLookupIds)
                              q.invalid("ids", "must name at most 100 customers");
                          return out;
                      });
                      return Response::json(200, app::lookup_customers(*c, caller_of(r, p), ids));
                  });

    service.route("GET", "/api/v1/customers/{id}", kRead, [c](Request& r, const Principal& p) {
        Query(r, {}).check();
        return Response::json(200,
                              app::get_customer(*c, caller_of(r, p, "GET /api/v1/customers/{id}"),
                                                r.params.at("id")));
    });

    service.route("PATCH", "/api/v1/customers/{id}", kManage, [c](Request& r, const Principal& p) {
        const auto patch = read_body(
            r, {"gender", "birth_year", "occupation", "type", "needs"}, [c](const Body& b) {
                app::CustomerPatch patch;
                if (b.present("gender"))
                    patch.gender = b.opt_enumeration("gender", domain::parse_gender,
                                                     sales::enum_names<domain::Gender>().list());
                if (b.present("birth_year"))
                    patch.birth_year = b.opt_integer("birth_year", 1900, this_year(*c));
                if (b.present("occupation"))
                    patch.occupation = b.opt_text("occupation", kNameLength);
                if (b.present("type"))
                    patch.type =
                        b.opt_enumeration("type", domain::parse_type,
                                          sales::enum_names<domain::CustomerType>().list());
                if (b.present("needs")) {
                    const auto needs = b.opt_object("needs", kNeedsFields);
                    patch.needs = needs ? parse_needs(*needs) : app::Needs{};
                }
                return patch;
            });
        return Response::json(200,
                              app::update_customer(*c, caller_of(r, p), r.params.at("id"), patch));
    });

    service.route(
        "POST", "/api/v1/customers/{id}/stage", kManage, [c](Request& r, const Principal& p) {
            const auto [stage, reason] = read_body(r, {"stage", "reason"}, [](const Body& b) {
                return std::pair{b.enumeration("stage", domain::parse_stage,
                                               sales::enum_names<domain::Stage>().list()),
                                 b.opt_text("reason", kReasonLength)};
            });
            return Response::json(
                200, app::change_stage(*c, caller_of(r, p), r.params.at("id"), stage, reason));
        });

    service.route("POST", "/api/v1/customers/{id}/events", kRead,
                  [c](Request& r, const Principal& p) {
                      const auto event = read_body(r, kEventFields, [c](const Body& b) {
                          return parse_event(b, c->clock.now(), std::nullopt);
                      });
                      return Response::json(
                          201, app::add_event(*c, caller_of(r, p), r.params.at("id"), event));
                  });

    service.route(
        "GET", "/api/v1/customers/{id}/events", kRead, [c](Request& r, const Principal& p) {
            const auto [limit, offset] = read_query(r, {"limit", "offset"}, [](const Query& q) {
                return std::pair{q.integer("limit", 50, 1, 500),
                                 q.integer("offset", 0, 0, 1'000'000)};
            });
            return Response::json(
                200, app::list_events(*c, caller_of(r, p), r.params.at("id"), limit, offset));
        });

    // CUS-9 corrections asked for by the customer.
    service.route("POST", "/api/v1/customers/{id}/corrections", kManage,
                  [c](Request& r, const Principal& p) {
                      struct Correction {
                          std::string field;
                          std::optional<std::string> value;
                          std::string reason;
                      };
                      const auto in = read_body(r, {"field", "value", "reason"}, [](const Body& b) {
                          Correction x;
                          x.field = b.text("field", 32);
                          x.value = correction_value(b, x.field);
                          x.reason = b.text("reason", kReasonLength);
                          return x;
                      });
                      return Response::json(
                          200, app::correct_customer(
                                   *c, caller_of(r, p, "POST /api/v1/customers/{id}/corrections"),
                                   r.params.at("id"), in.field, in.value, in.reason));
                  });
    service.route(
        "GET", "/api/v1/customers/{id}/corrections", kManage, [c](Request& r, const Principal& p) {
            return Response::json(
                200,
                app::list_corrections(*c, caller_of(r, p, "GET /api/v1/customers/{id}/corrections"),
                                      r.params.at("id")));
        });

    // CUS-10 complaints.
    service.route(
        "POST", "/api/v1/customers/{id}/complaints", kRead, [c](Request& r, const Principal& p) {
            const auto in = read_body(
                r, {"category", "description", "received_on", "channel"}, [](const Body& b) {
                    app::NewComplaint in;
                    in.category =
                        b.enumeration("category", domain::parse_complaint_category,
                                      sales::enum_names<domain::ComplaintCategory>().list());
                    in.description = b.text("description", 2000);
                    in.received_on = b.opt_date("received_on");
                    in.channel = b.opt_enumeration("channel", domain::parse_channel,
                                                   sales::enum_names<domain::Channel>().list())
                                     .value_or(domain::Channel::call);
                    return in;
                });
            return Response::json(
                201, app::record_complaint(*c, caller_of(r, p), r.params.at("id"), in));
        });
    service.route("GET", "/api/v1/complaints", kRead, [c](Request& r, const Principal& p) {
        struct Filter {
            std::string project_id;
            std::optional<domain::ComplaintStatus> status;
            bool overdue;
            std::int64_t limit, offset;
        };
        const auto f = read_query(
            r, {"project_id", "status", "overdue", "limit", "offset"}, [](const Query& q) {
                return Filter{q.required_uuid("project_id"),
                              q.enumeration("status", domain::parse_complaint_status,
                                            sales::enum_names<domain::ComplaintStatus>().list()),
                              q.boolean("overdue", false), q.integer("limit", 50, 1, 500),
                              q.integer("offset", 0, 0, 1'000'000)};
            });
        return Response::json(200, app::list_complaints(*c, caller_of(r, p), f.project_id, f.status,
                                                        f.overdue, f.limit, f.offset));
    });
    service.route("GET", "/api/v1/complaints/{id}", kRead, [c](Request& r, const Principal& p) {
        return Response::json(200, app::get_complaint(*c, caller_of(r, p), r.params.at("id")));
    });
    for (const bool respond : {true, false}) {
        service.route(
            "POST", std::string("/api/v1/complaints/{id}/") + (respond ? "respond" : "resolve"),
            {"customer.complaint"}, [c, respond](Request& r, const Principal& p) {
                const std::string field = respond ? "response" : "result";
                const auto text =
                    read_body(r, {field}, [&](const Body& b) { return b.text(field, 2000); });
                return Response::json(
                    200, app::complaint_action(*c, caller_of(r, p), r.params.at("id"),
                                               respond ? domain::ComplaintAction::respond
                                                       : domain::ComplaintAction::resolve,
                                               text));
            });
    }
}

}  // namespace customer::adapters
