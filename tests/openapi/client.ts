// A small typed client of the Bilim API, compiled (never run) by
// `scripts/check-openapi.sh typescript` against the types openapi-typescript
// generates from docs/openapi.json into ./generated/schema.d.ts. It stands for
// what a web or mobile client does: if the document stops describing these
// calls, or describes them so loosely that this code no longer type-checks,
// the check fails.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

type Schemas = components["schemas"];
export type User = Schemas["UserResponse"];
export type Challenge = Schemas["ChallengeResponse"];
export type CourseSummary = Schemas["CourseSummary"];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`Bilim API answered ${status}`);
  }
}

/** The body of a 2xx answer, or an ApiError with the problem of any other. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new ApiError(result.response.status, result.error);
  return result.data;
}

export function bilim(baseUrl: string, accessToken?: string) {
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers["Authorization"] = `Bearer ${accessToken}`;
  return createClient<paths>({ baseUrl, headers });
}
export type Bilim = ReturnType<typeof bilim>;

/** Step one of registration: the code goes to `email`. */
export async function register(
  api: Bilim,
  person: { firstName: string; lastName: string; email: string; password: string; phone?: string },
): Promise<Challenge> {
  const body: Schemas["RegisterRequest"] = {
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    password: person.password,
  };
  if (person.phone !== undefined) body.phone = person.phone;
  const data = ok(await api.POST("/api/v1/auth/register", { body }));
  return data;
}

/** Step two: the emailed code signs the new student in. */
export async function verifyRegistration(
  api: Bilim,
  challenge: Challenge,
  code: string,
): Promise<{ accessToken: string; refreshToken: string; user: User }> {
  const data = ok(await api.POST("/api/v1/auth/register/verify", {
    body: { challenge_id: challenge.challenge_id, code },
  }));
  return { accessToken: data.access_token, refreshToken: data.refresh_token, user: data.user };
}

/** Login is two steps too: the password, then the emailed code. */
export async function login(api: Bilim, email: string, password: string): Promise<Challenge> {
  const data = ok(await api.POST("/api/v1/auth/login", {
    body: { email, password },
  }));
  if (data.resend_in > data.expires_in) throw new Error("a resend after the code expired");
  return data;
}

export async function verifyLogin(api: Bilim, challenge: Challenge, code: string): Promise<string> {
  const data = ok(await api.POST("/api/v1/auth/login/verify", {
    body: { challenge_id: challenge.challenge_id, code },
  }));
  return data.access_token;
}

/** Every published course of a level, following the keyset pages. */
export async function allCourses(api: Bilim, level: "beginner" | "intermediate" | "advanced"): Promise<CourseSummary[]> {
  const courses: CourseSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query: { level: typeof level; limit: number; cursor?: string } = { level, limit: 100 };
    if (cursor !== undefined) query.cursor = cursor;
    const data = ok(await api.GET("/api/v1/courses", { params: { query } }));
    courses.push(...data.items);
    if (data.next_cursor === null || data.next_cursor === undefined) return courses;
    cursor = data.next_cursor;
  }
}

export async function courseTitles(api: Bilim): Promise<string[]> {
  const beginners = await allCourses(api, "beginner");
  return beginners.map((course) => `${course.title} (${course.access_months} oy)`);
}

/** Admin: the inactive users matching `q`, with the totals of the whole list. */
export async function inactiveUsers(
  admin: Bilim,
  q: string,
): Promise<{ users: User[]; active: number; inactive: number }> {
  const data = ok(await admin.GET("/api/v1/admin/users", {
    params: { query: { status: "inactive", q, limit: 50 } },
  }));
  return { users: data.items, active: data.totals.active, inactive: data.totals.inactive };
}

/** Admin: activate a user again and make them a teacher. */
export async function makeTeacher(admin: Bilim, userId: string): Promise<User> {
  const data = ok(await admin.PATCH("/api/v1/admin/users/{id}", {
    params: { path: { id: userId } },
    body: { active: true, role: "teacher" },
  }));
  return data;
}

/** Admin: the admins (super admins only), then the audit log of the first one. */
export async function firstAdminsAudit(admin: Bilim): Promise<string[]> {
  const admins = ok(await admin.GET("/api/v1/admin/admins", { params: { query: { limit: 10 } } }));
  const first = admins.items[0];
  if (first === undefined) return [];
  const audit = ok(
    await admin.GET("/api/v1/admin/audit", { params: { query: { admin_id: first.id, limit: 20 } } }),
  );
  return audit.items.map((entry) => `${entry.at} ${first.username} ${entry.action}`);
}
