//! Demo data, fast: multi-row `INSERT`s of up to `BATCH` rows.
//!
//! `seed_users`: one transaction per batch, the totals raised once per batch in
//! the same transaction. Meant for an empty or a demo database. Demo users are
//! `demo{n}@bilim.test` (`.test` is a reserved top-level domain, so no mail can
//! reach anyone); a run starts after the highest `n` already stored, so running
//! it again adds more users instead of failing on taken emails. It checks
//! nothing else: on a database with real users, a demo phone (`+99890` and the
//! last seven digits of `n`) may equal a real one.
//!
//! `seed_catalogue`: the three directions of the product with published
//! courses, in one transaction; it does nothing when a demo direction exists.
//!
//! `seed_grants`: opens published courses to the first demo students, with
//! their workbook and certificate claims; a repeat run adds nothing.
use crate::catalogue::title_search;
use crate::database::{Database, db_error};
use crate::directory::add_to_totals;
use crate::entities::users::{self, Column};
use crate::entities::{
    certificates, courses, courses_open_users, directions, lessons, modules, videos, workbooks,
};
use crate::learning::claims::{self, GrantsOf};
use crate::users::search_text;
use bilim_domain::DomainResult;
use bilim_domain::catalogue::{CourseStatus, Level};
use bilim_domain::users::UserRole;
use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// Users per `INSERT`: 1000 rows × 15 columns stays under SQLite's 32 766 and
/// PostgreSQL's 65 535 bind parameters.
const BATCH: u64 = 1000;

const DOMAIN: &str = "@bilim.test";

const MALE_FIRST_NAMES: &[&str] = &[
    "Aziz",
    "Bekzod",
    "Doniyor",
    "Eldor",
    "Farrux",
    "Jasur",
    "Javohir",
    "Laziz",
    "Mirzo",
    "Muhammad",
    "Nodir",
    "Oʻktam",
    "Otabek",
    "Rustam",
    "Sardor",
    "Sherzod",
    "Shohruh",
    "Timur",
    "Ulugʻbek",
    "Umid",
    "Gʻulom",
    "Xurshid",
    "Zafar",
    "Islom",
];

const FEMALE_FIRST_NAMES: &[&str] = &[
    "Aziza", "Dilnoza", "Dildora", "Feruza", "Gulnora", "Kamola", "Laylo", "Madina", "Malika",
    "Mohira", "Nargiza", "Nilufar", "Oydin", "Rayhona", "Sabina", "Sevara", "Shahzoda", "Umida",
    "Xurshida", "Yulduz", "Zarina", "Zilola", "Gulbahor", "Muxlisa",
];

/// Men's forms; women's add an `a` (Karimov, Karimova).
const LAST_NAMES: &[&str] = &[
    "Abdullayev",
    "Alimov",
    "Aminov",
    "Ergashev",
    "Haydarov",
    "Hasanov",
    "Ismoilov",
    "Jurayev",
    "Karimov",
    "Mahmudov",
    "Mirzayev",
    "Nazarov",
    "Nurmatov",
    "Ortiqov",
    "Qodirov",
    "Rahimov",
    "Rasulov",
    "Saidov",
    "Sobirov",
    "Tursunov",
    "Usmonov",
    "Xolmatov",
    "Yoʻldoshev",
    "Zokirov",
];

/// Inserts `count` demo users (about one in ten inactive, one in twenty a
/// teacher) and returns how many it inserted. Ids are UUID v7, increasing, so
/// the newest-first admin list shows the last batch first.
pub async fn seed_users(
    db: &Database,
    count: u64,
    password_hash: &str,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let first = highest_demo_number(db).await? + 1;
    let end = first + count;
    let mut start = first;
    while start < end {
        let stop = end.min(start + BATCH);
        let rows: Vec<users::ActiveModel> = (start..stop)
            .map(|n| demo_user(n, password_hash, now))
            .collect();
        let inactive = (start..stop).filter(|&n| is_inactive(n)).count() as i64;
        let active = (stop - start) as i64 - inactive;
        let txn = db.begin_write().await?;
        users::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
        add_to_totals(&txn, active, inactive).await?;
        txn.commit().await.map_err(db_error)?;
        start = stop;
    }
    Ok(count)
}

/// The highest `n` of the stored `demo{n}@bilim.test`, 0 when there is none.
/// Longer emails hold larger numbers, and equally long ones compare as text, so
/// the first all-digit one in this order is the highest.
async fn highest_demo_number(db: &Database) -> DomainResult<u64> {
    let emails: Vec<String> = users::Entity::find()
        .select_only()
        .column(Column::Email)
        .filter(Column::Email.like(format!("demo%{DOMAIN}")))
        .order_by_desc(Expr::cust("length(email)"))
        .order_by_desc(Column::Email)
        .limit(1000)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    Ok(emails
        .iter()
        .find_map(|email| demo_number(email))
        .unwrap_or(0))
}

fn demo_number(email: &str) -> Option<u64> {
    let digits = email.strip_prefix("demo")?.strip_suffix(DOMAIN)?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn is_inactive(n: u64) -> bool {
    n.is_multiple_of(10)
}

fn demo_user(n: u64, password_hash: &str, now: DateTime<Utc>) -> users::ActiveModel {
    let mix = splitmix64(n);
    let female = mix & 1 == 1;
    let names = if female {
        FEMALE_FIRST_NAMES
    } else {
        MALE_FIRST_NAMES
    };
    let first_name = pick(names, mix >> 8);
    let last_name = pick(LAST_NAMES, mix >> 24);
    let last_name = if female {
        format!("{last_name}a")
    } else {
        last_name.to_owned()
    };
    let email = format!("demo{n}{DOMAIN}");
    let phone = format!("+99890{:07}", n % 10_000_000);
    // `n % 20 == 5`, not a multiple of 20: those are all inactive (`is_inactive`),
    // and the demo catalogue is taught by active teachers.
    let role = if n % 20 == 5 {
        UserRole::Teacher
    } else {
        UserRole::Student
    };
    let at = now.fixed_offset();
    users::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(search_text(first_name, &last_name, &email, Some(&phone))),
        first_name: Set(first_name.to_owned()),
        last_name: Set(last_name),
        email: Set(email),
        phone: Set(Some(phone)),
        password_hash: Set(password_hash.to_owned()),
        avatar_key: Set(None),
        role: Set(role.as_str().to_owned()),
        active: Set(!is_inactive(n)),
        email_verified_at: Set(Some(at)),
        last_login_at: Set(None),
        token_version: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

fn pick<'a>(list: &[&'a str], mix: u64) -> &'a str {
    list[(mix % list.len() as u64) as usize]
}

/// A cheap, well-mixed hash of `n`, so neighbours get unrelated names.
fn splitmix64(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Modules of a demo course, and lessons of each module.
const DEMO_MODULES: u64 = 10;
const DEMO_LESSONS: u64 = 10;

/// A demo direction: its name, description and course titles.
struct DemoDirection {
    name: &'static str,
    description: &'static str,
    courses: &'static [&'static str],
}

const DEMO_DIRECTIONS: [DemoDirection; 3] = [
    DemoDirection {
        name: "Matematika",
        description: "Maktab va oliy matematika: algebradan matematik analizgacha, DTM va olimpiadalarga tayyorgarlik.",
        courses: &[
            "Algebra asoslari",
            "Geometriya: planimetriya",
            "Stereometriya",
            "Trigonometriya",
            "Matematik analiz",
            "Ehtimollar nazariyasi va statistika",
            "Chiziqli algebra",
            "Olimpiada masalalari",
            "DTM testlariga tayyorgarlik",
            "Mantiq va kombinatorika",
            "Diskret matematika",
            "Differensial tenglamalar",
        ],
    },
    DemoDirection {
        name: "Ingliz tili",
        description: "Boshlangʻich darajadan IELTS gacha: grammatika, soʻz boyligi, nutq va yozuv.",
        courses: &[
            "Ingliz tili: boshlangʻich daraja",
            "Grammatika asoslari",
            "Soʻz boyligini oshirish",
            "Ogʻzaki nutq va talaffuz",
            "IELTS Listening",
            "IELTS Reading",
            "IELTS Writing",
            "IELTS Speaking",
            "Biznes ingliz tili",
            "Ingliz tili: oʻrta daraja",
            "Akademik yozuv",
            "Tinglab tushunish amaliyoti",
        ],
    },
    DemoDirection {
        name: "Dasturlash",
        description: "Python, veb, maʼlumotlar bazalari va algoritmlar: amaliy loyihalar bilan dasturlash.",
        courses: &[
            "Python asoslari",
            "Python: obyektga yoʻnaltirilgan dasturlash",
            "Veb dasturlash: HTML va CSS",
            "JavaScript asoslari",
            "React bilan frontend",
            "SQL va maʼlumotlar bazalari",
            "Algoritmlar va maʼlumotlar tuzilmalari",
            "Git va jamoaviy ishlash",
            "Rust dasturlash tili",
            "Django bilan backend",
            "Linux buyruqlar qatori",
            "Mobil ilovalar: Flutter",
        ],
    },
];

const MODULE_TOPICS: [&str; DEMO_MODULES as usize] = [
    "Kirish",
    "Asosiy tushunchalar",
    "Amaliy mashgʻulotlar",
    "Chuqurlashtirilgan mavzular",
    "Masalalar yechish",
    "Loyiha ustida ishlash",
    "Takrorlash",
    "Murakkab holatlar",
    "Yakuniy loyiha",
    "Yakuniy nazorat",
];

const LESSON_KINDS: [&str; DEMO_LESSONS as usize] = [
    "Mavzu bilan tanishuv",
    "Nazariya",
    "Misollar tahlili",
    "Amaliy topshiriq",
    "Keng tarqalgan xatolar",
    "Mustaqil ish",
    "Savol-javob",
    "Qoʻshimcha materiallar",
    "Test",
    "Xulosa",
];

const LEVELS: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

/// Courses whose rows are built and inserted per round: 100 courses are 10 000
/// lessons and as many videos, ten `INSERT`s of `BATCH` rows each.
const COURSES_PER_ROUND: u64 = 100;

/// Creates the three directions of the product (Matematika, Ingliz tili,
/// Dasturlash, after any existing ones) and `courses` published courses spread
/// over them, each with 10 modules of 10 lessons, a video per lesson (an https
/// URL under `videos.bilim.test`, a reserved `.test` domain), two workbooks (one
/// of the course, one of a lesson) and a certificate. Returns how many courses
/// it created: 0 when any of the three directions exists already, so running it
/// again changes nothing.
///
/// Workbook keys are `demo/workbook-{n}.pdf` with a made-up size and SHA-256:
/// no file is written, so downloading one finds nothing. Courses are taught in
/// turn by the active users with the teacher role (`seed_users` makes some),
/// or by nobody. All in one transaction, with multi-row `INSERT`s.
pub async fn seed_catalogue(db: &Database, courses: u64, now: DateTime<Utc>) -> DomainResult<u64> {
    let txn = db.begin_write().await?;
    let names = DEMO_DIRECTIONS.iter().map(|direction| direction.name);
    let taken: Option<Uuid> = directions::Entity::find()
        .select_only()
        .column(directions::Column::Id)
        .filter(directions::Column::Name.is_in(names))
        .into_tuple()
        .one(&txn)
        .await
        .map_err(db_error)?;
    if taken.is_some() {
        return Ok(0);
    }
    let last_position: Option<Option<i32>> = directions::Entity::find()
        .select_only()
        .expr(Func::max(Expr::col(directions::Column::Position)))
        .into_tuple()
        .one(&txn)
        .await
        .map_err(db_error)?;
    let last_position = last_position.flatten().unwrap_or(0);
    let at = now.fixed_offset();
    let direction_ids: Vec<Uuid> = DEMO_DIRECTIONS.iter().map(|_| Uuid::now_v7()).collect();
    let direction_rows =
        DEMO_DIRECTIONS
            .iter()
            .zip(&direction_ids)
            .zip(1..)
            .map(|((direction, &id), n)| directions::ActiveModel {
                id: Set(id),
                name: Set(direction.name.to_owned()),
                description: Set(Some(direction.description.to_owned())),
                position: Set(last_position + n),
                created_at: Set(at),
                updated_at: Set(at),
            });
    insert_batched(&txn, direction_rows.collect()).await?;
    let teachers: Vec<Uuid> = users::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Role.eq(UserRole::Teacher.as_str()))
        .filter(Column::Active.eq(true))
        .order_by_asc(Column::Id)
        .limit(courses.min(1000))
        .into_tuple()
        .all(&txn)
        .await
        .map_err(db_error)?;
    let mut start = 0;
    while start < courses {
        let stop = courses.min(start + COURSES_PER_ROUND);
        let mut rows = DemoRows::default();
        for n in start..stop {
            rows.add_course(n, &direction_ids, &teachers, now);
        }
        rows.insert(&txn).await?;
        start = stop;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(courses)
}

/// Inserts `rows` in multi-row `INSERT`s of at most `BATCH` rows (11 columns
/// at most here: under both backends' limits on bound parameters).
async fn insert_batched<A, C>(connection: &C, rows: Vec<A>) -> DomainResult<()>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH as usize).collect();
        A::Entity::insert_many(batch)
            .exec_without_returning(connection)
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

/// The rows of a round of demo courses, table by table.
#[derive(Default)]
struct DemoRows {
    courses: Vec<courses::ActiveModel>,
    modules: Vec<modules::ActiveModel>,
    lessons: Vec<lessons::ActiveModel>,
    videos: Vec<videos::ActiveModel>,
    workbooks: Vec<workbooks::ActiveModel>,
    certificates: Vec<certificates::ActiveModel>,
}

impl DemoRows {
    /// Demo course `n` (from 0): directions in turn, titles in turn within
    /// each, a numbered stream (`2-oqim`) once a direction's titles run out.
    fn add_course(
        &mut self,
        n: u64,
        direction_ids: &[Uuid],
        teachers: &[Uuid],
        now: DateTime<Utc>,
    ) {
        let at = now.fixed_offset();
        let which = (n % DEMO_DIRECTIONS.len() as u64) as usize;
        let direction = &DEMO_DIRECTIONS[which];
        let round = n / DEMO_DIRECTIONS.len() as u64;
        let base = direction.courses[(round % direction.courses.len() as u64) as usize];
        let stream = round / direction.courses.len() as u64;
        let title = if stream == 0 {
            base.to_owned()
        } else {
            format!("{base} ({}-oqim)", stream + 1)
        };
        let course_id = Uuid::now_v7();
        let teacher_id =
            (!teachers.is_empty()).then(|| teachers[(n % teachers.len() as u64) as usize]);
        self.courses.push(courses::ActiveModel {
            id: Set(course_id),
            direction_id: Set(direction_ids[which]),
            title_search: Set(title_search(&title)),
            description: Set(format!(
                "«{title}» kursi: video darslar, amaliy topshiriqlar va ish daftarlari. \
                 {DEMO_MODULES} ta modul, {} ta dars.",
                DEMO_MODULES * DEMO_LESSONS
            )),
            level: Set(LEVELS[(round % LEVELS.len() as u64) as usize]
                .as_str()
                .to_owned()),
            status: Set(CourseStatus::Published.as_str().to_owned()),
            teacher_id: Set(teacher_id),
            access_months: Set(6),
            created_at: Set(at),
            updated_at: Set(at),
            title: Set(title.clone()),
        });
        let mut workbook_lesson = None;
        for (m, topic) in (1..).zip(MODULE_TOPICS) {
            let module_id = Uuid::now_v7();
            self.modules.push(modules::ActiveModel {
                id: Set(module_id),
                course_id: Set(course_id),
                title: Set(format!("{m}-modul: {topic}")),
                position: Set(m),
            });
            for (l, kind) in (1..).zip(LESSON_KINDS) {
                let lesson_id = Uuid::now_v7();
                self.lessons.push(lessons::ActiveModel {
                    id: Set(lesson_id),
                    module_id: Set(module_id),
                    title: Set(format!("{l}-dars: {kind}")),
                    description: Set(format!(
                        "{m}-modulning {l}-darsi: {} — mavzu tushuntiriladi va misollar bilan mustahkamlanadi.",
                        kind.to_lowercase()
                    )),
                    position: Set(l),
                });
                // Five to thirty minutes.
                let mix = splitmix64(
                    n * 1000 + u64::from(m.unsigned_abs()) * 10 + u64::from(l.unsigned_abs()),
                );
                self.videos.push(videos::ActiveModel {
                    lesson_id: Set(lesson_id),
                    url: Set(Some(format!("https://videos.bilim.test/{lesson_id}.mp4"))),
                    storage_key: Set(None),
                    duration_seconds: Set(300 + (mix % 1501) as i32),
                });
                if m == 1 && l == DEMO_LESSONS as i32 {
                    workbook_lesson = Some(lesson_id);
                }
            }
        }
        for (k, lesson_id, name) in [
            (1, None, "Ish daftari"),
            (2, workbook_lesson, "1-modul mashqlari"),
        ] {
            let number = n * 2 + k;
            self.workbooks.push(workbooks::ActiveModel {
                id: Set(Uuid::now_v7()),
                course_id: Set(course_id),
                lesson_id: Set(lesson_id),
                title: Set(format!("{title}: {name}")),
                storage_key: Set(format!("demo/workbook-{number}.pdf")),
                size_bytes: Set(200_000 + (splitmix64(number) % 800_000) as i64),
                sha256: Set(format!("{:064x}", splitmix64(number))),
                created_at: Set(at),
            });
        }
        self.certificates.push(certificates::ActiveModel {
            id: Set(Uuid::now_v7()),
            course_id: Set(course_id),
            title: Set(format!("«{title}» kursini tamomlaganlik sertifikati")),
        });
    }

    async fn insert<C: ConnectionTrait>(self, connection: &C) -> DomainResult<()> {
        insert_batched(connection, self.courses).await?;
        insert_batched(connection, self.modules).await?;
        insert_batched(connection, self.lessons).await?;
        insert_batched(connection, self.videos).await?;
        insert_batched(connection, self.workbooks).await?;
        insert_batched(connection, self.certificates).await
    }
}

/// Demo students whose grants one transaction of `seed_grants` writes.
const GRANT_USERS_PER_ROUND: usize = 500;

/// Opens courses to demo students: each of the first `users` demo students
/// (`demo{n}@bilim.test` with the student role, oldest first) gets
/// `courses_per_user` of the published courses (oldest first, taken in turn so
/// neighbours differ; at most as many as there are), with every workbook and
/// the certificate of each course as claims. Returns how many grants it added:
/// a pair that already has a grant is left as it is, so running it again adds
/// nothing (the claims of existing grants are completed, never reset).
///
/// A grant opens now and ends after the course's `access_months`; to give the
/// expiry job something to do, the first course of every tenth student (from
/// the fourth) ends in three days, and of every tenth (from the eighth) ended
/// yesterday. `granted_by` is empty: no admin granted them. Multi-row
/// `INSERT`s, one transaction per `GRANT_USERS_PER_ROUND` students.
pub async fn seed_grants(
    db: &Database,
    users: u64,
    courses_per_user: u64,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let students: Vec<Uuid> = users::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Email.like(format!("demo%{DOMAIN}")))
        .filter(Column::Role.eq(UserRole::Student.as_str()))
        .order_by_asc(Column::Id)
        .limit(users)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    let published: Vec<(Uuid, i32)> = courses::Entity::find()
        .select_only()
        .columns([courses::Column::Id, courses::Column::AccessMonths])
        .filter(courses::Column::Status.eq(CourseStatus::Published.as_str()))
        .order_by_asc(courses::Column::Id)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    let per_user = usize::try_from(courses_per_user)
        .unwrap_or(usize::MAX)
        .min(published.len());
    if students.is_empty() || per_user == 0 {
        return Ok(0);
    }
    let mut added = 0;
    for (round, chunk) in students.chunks(GRANT_USERS_PER_ROUND).enumerate() {
        let first = round * GRANT_USERS_PER_ROUND;
        let rows: Vec<courses_open_users::ActiveModel> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, &user_id)| {
                let n = first + i;
                (0..per_user).map(move |k| (n, k, user_id))
            })
            .map(|(n, k, user_id)| {
                let (course_id, months) = published[(n * per_user + k) % published.len()];
                demo_grant(n, k, user_id, course_id, months, now)
            })
            .collect();
        let txn = db.begin_write().await?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<_> = rows.by_ref().take(BATCH as usize).collect();
            added += courses_open_users::Entity::insert_many(batch)
                .on_conflict(
                    OnConflict::columns([
                        courses_open_users::Column::UserId,
                        courses_open_users::Column::CourseId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await
                .map_err(db_error)?;
        }
        claims::open_claims_of_grants(
            &txn,
            GrantsOf {
                users: chunk,
                courses: None,
            },
            now,
        )
        .await?;
        txn.commit().await.map_err(db_error)?;
    }
    Ok(added)
}

/// Grant `k` (from 0) of demo student `n` (from 0).
fn demo_grant(
    n: usize,
    k: usize,
    user_id: Uuid,
    course_id: Uuid,
    access_months: i32,
    now: DateTime<Utc>,
) -> courses_open_users::ActiveModel {
    let months = Months::new(access_months.max(1).unsigned_abs());
    let (opened_at, expires_at) = match (k, n % 10) {
        (0, 3) => {
            let expires_at = now + Duration::days(3);
            (
                expires_at.checked_sub_months(months).unwrap_or(now),
                expires_at,
            )
        }
        (0, 7) => {
            let expires_at = now - Duration::days(1);
            (
                expires_at.checked_sub_months(months).unwrap_or(now),
                expires_at,
            )
        }
        _ => (now, now.checked_add_months(months).unwrap_or(now)),
    };
    let at = now.fixed_offset();
    courses_open_users::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        course_id: Set(course_id),
        opened_at: Set(opened_at.fixed_offset()),
        expires_at: Set(expires_at.fixed_offset()),
        revoked_at: Set(None),
        granted_by: Set(None),
        reminded_at: Set(None),
        expired_notified_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::values::{Email, PersonName, Phone};

    #[test]
    fn demo_numbers_are_read_back_only_from_demo_emails() {
        assert_eq!(demo_number("demo42@bilim.test"), Some(42));
        for email in [
            "demo@bilim.test",
            "demo042@bilim.test",
            "demox@bilim.test",
            "demo4@bilim.uz",
        ] {
            assert_eq!(demo_number(email), None, "{email}");
        }
    }

    #[test]
    fn demo_users_pass_the_domain_rules() {
        for n in 1..500 {
            let user = demo_user(n, "$argon2id$x", Utc::now());
            let sea_orm::ActiveValue::Set(first_name) = user.first_name else {
                panic!("first name not set")
            };
            let sea_orm::ActiveValue::Set(last_name) = user.last_name else {
                panic!("last name not set")
            };
            PersonName::parse("first_name", &first_name).unwrap();
            PersonName::parse("last_name", &last_name).unwrap();
            let email = format!("demo{n}{DOMAIN}");
            assert_eq!(Email::parse(&email).unwrap().as_str(), email);
            let phone = format!("+99890{:07}", n % 10_000_000);
            assert_eq!(Phone::parse(&phone).unwrap().as_str(), phone);
        }
    }
}
