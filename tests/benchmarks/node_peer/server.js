// The Node peer of tests/benchmarks/api_peer.py: the fields the benchmark asks for, served
// as PipeCD serves its API (GraphQL Yoga on Node, `pg`, a DataLoader per level and
// request) over the same database, with the same visibility and the same JSON as ours.
//
//   DATABASE_URL=postgres://... OIDC_ISSUER=http://... PORT=4100 node server.js
import { createServer } from "node:http";
import DataLoader from "dataloader";
import { createSchema, createYoga } from "graphql-yoga";
import pg from "pg";

// timestamptz as PostgreSQL writes it (in UTC), turned into Python's isoformat() below
pg.types.setTypeParser(1184, (text) => text);
pg.types.setTypeParser(1082, (text) => text); // date

// As the app: connected as the app's role, row-level security filtering every query by the
// organization (WFM_ORG_ID), set once per connection (ours pays a SET LOCAL per request).
const organization = process.env.WFM_ORG_ID ? ` -c wfm.org_id=${process.env.WFM_ORG_ID}` : "";
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  options: `-c TimeZone=UTC${organization}`,
  max: 10,
});
const issuer = process.env.OIDC_ISSUER;
const MANAGERS = new Set(["wfm_admin", "wfm_manager"]);

// "2026-12-04 13:00:00.12345+00" -> "2026-12-04T13:00:00.123450+00:00" (Python's form)
function isoformat(text) {
  if (text === null) return null;
  const found = /^(\S+) (\d\d:\d\d:\d\d)(?:\.(\d+))?([+-]\d\d)(?::?(\d\d))?$/.exec(text);
  if (!found) throw new Error(`unexpected timestamp ${text}`);
  const [, day, time, fraction, hours, minutes] = found;
  const micro = fraction ? `.${fraction.padEnd(6, "0")}` : "";
  return `${day}T${time}${micro}${hours}:${minutes ?? "00"}`;
}

// Who a bearer token stands for: the provider's userinfo, cached a minute (as ours is).
const actors = new Map();
let userinfoEndpoint = null;
async function actorFor(header) {
  const token = (header ?? "").replace(/^Bearer\s+/i, "");
  const hit = actors.get(token);
  if (hit && hit.until > Date.now()) return hit.actor;
  if (!userinfoEndpoint) {
    const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    userinfoEndpoint = metadata.userinfo_endpoint;
  }
  const answer = await fetch(userinfoEndpoint, { headers: { Authorization: `Bearer ${token}` } });
  if (answer.status !== 200) throw new Error("The access token was refused.");
  const claims = await answer.json();
  const { rows } = await pool.query(
    "SELECT id FROM users WHERE issuer = $1 AND subject = $2",
    [issuer, claims.sub],
  );
  if (!rows.length) throw new Error("Unknown user.");
  const roles = claims.roles ?? [];
  const actor = { id: rows[0].id, seesAll: roles.some((role) => MANAGERS.has(role)) };
  actors.set(token, { actor, until: Date.now() + 60_000 });
  return actor;
}

// The actor's cards: every card for a manager, their own or assigned ones for a member.
function visible(actor, alias, next) {
  return actor.seesAll
    ? { sql: "true", params: [] }
    : { sql: `(${alias}.user_id = $${next} OR ${alias}.assigned_to_user_id = $${next})`, params: [actor.id] };
}

function byId(rows, ids, key = "id") {
  const found = new Map(rows.map((row) => [row[key], row]));
  return ids.map((id) => found.get(id) ?? null);
}

function loaders(actor) {
  const users = new DataLoader(async (ids) => {
    const { rows } = await pool.query(
      "SELECT id, display_name, email FROM users WHERE id = ANY($1)", [ids]);
    return byId(rows, ids);
  });
  const steps = new DataLoader(async (ids) => {
    const { rows } = await pool.query(
      "SELECT id, step_order, status_id FROM workflow_steps WHERE id = ANY($1)", [ids]);
    return byId(rows, ids);
  });
  const statuses = new DataLoader(async (ids) => {
    const { rows } = await pool.query("SELECT id, name FROM statuses WHERE id = ANY($1)", [ids]);
    return byId(rows, ids);
  });
  const projects = new DataLoader(async (ids) => {
    const seen = visible(actor, "d", 2);
    const { rows } = await pool.query(
      `SELECT p.id FROM wfm_projects p WHERE p.id = ANY($1) AND (${actor.seesAll ? "true" :
        `p.id IN (SELECT d.wfm_project_id FROM deals d WHERE ${seen.sql})`})`,
      [ids, ...seen.params]);
    return byId(rows, ids);
  });
  const history = new DataLoader(async (dealIds) => {
    const seen = visible(actor, "d", 2);
    const { rows } = await pool.query(
      `SELECT d.id AS deal_id, h.id, h.changed_at, h.changed_by_user_id
       FROM deals d JOIN wfm_project_history h ON h.wfm_project_id = d.wfm_project_id
       WHERE d.id = ANY($1) AND ${seen.sql} ORDER BY h.changed_at, h.id`,
      [dealIds, ...seen.params]);
    const found = new Map(dealIds.map((id) => [id, []]));
    for (const row of rows) found.get(row.deal_id).push(row);
    return dealIds.map((id) => found.get(id));
  });
  return { users, steps, statuses, projects, history };
}

const typeDefs = /* GraphQL */ `
  type User { id: ID! display_name: String email: String }
  type WFMProject { id: ID! }
  type WFMStatus { id: ID! name: String! }
  type WFMWorkflowStep { id: ID! stepOrder: Int! }
  type DealHistoryEntry { id: ID! changedAt: String! changedByUser: User }
  type Deal {
    id: ID! name: String! currency: String! expected_close_date: String
    deal_specific_probability: Float
    user_id: ID assigned_to_user_id: ID wfm_project_id: ID!
    created_at: String! updated_at: String!
    owner: User wfmProject: WFMProject
    currentWfmStep: WFMWorkflowStep currentWfmStatus: WFMStatus
    history: [DealHistoryEntry!]!
  }
  type Query { deals: [Deal!]! }
`;

const resolvers = {
  Query: {
    async deals(_root, _args, { actor }) {
      const seen = visible(actor, "deals", 1);
      const { rows } = await pool.query(
        `SELECT deals.id, deals.name, deals.currency, deals.expected_close_date,
                deals.deal_specific_probability, deals.user_id, deals.assigned_to_user_id,
                deals.wfm_project_id, deals.created_at, deals.updated_at,
                wfm_projects.current_step_id
         FROM deals JOIN wfm_projects ON wfm_projects.id = deals.wfm_project_id
         WHERE ${seen.sql} ORDER BY wfm_projects.step_entered_at DESC, deals.id`,
        seen.params);
      return rows;
    },
  },
  Deal: {
    deal_specific_probability: (deal) =>
      deal.deal_specific_probability === null ? null : Number(deal.deal_specific_probability),
    created_at: (deal) => isoformat(deal.created_at),
    updated_at: (deal) => isoformat(deal.updated_at),
    owner: (deal, _args, { load }) => (deal.user_id ? load.users.load(deal.user_id) : null),
    wfmProject: (deal, _args, { load }) => load.projects.load(deal.wfm_project_id),
    currentWfmStep: (deal, _args, { load }) =>
      deal.current_step_id ? load.steps.load(deal.current_step_id) : null,
    async currentWfmStatus(deal, _args, { load }) {
      if (!deal.current_step_id) return null;
      const step = await load.steps.load(deal.current_step_id);
      return step ? load.statuses.load(step.status_id) : null;
    },
    history: (deal, _args, { load }) => load.history.load(deal.id),
  },
  WFMWorkflowStep: { stepOrder: (step) => step.step_order },
  DealHistoryEntry: {
    changedAt: (entry) => isoformat(entry.changed_at),
    changedByUser: (entry, _args, { load }) =>
      entry.changed_by_user_id ? load.users.load(entry.changed_by_user_id) : null,
  },
};

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers }),
  graphqlEndpoint: "/graphql",
  graphiql: false,
  logging: false,
  maskedErrors: false,
  async context({ request }) {
    const actor = await actorFor(request.headers.get("authorization"));
    return { actor, load: loaders(actor) };
  },
});

createServer(yoga).listen(Number(process.env.PORT ?? 4100), "127.0.0.1", () => {
  console.log("node peer ready");
});
