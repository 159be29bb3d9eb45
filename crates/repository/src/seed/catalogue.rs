//! The demo catalogue: three directions of full published courses.

use super::{BATCH, splitmix64};
use crate::catalogue::title_search;
use crate::database::{Database, db_error};
use crate::entities::users::{self, Column};
use crate::entities::{certificates, courses, directions, lessons, modules, videos, workbooks};
use bilim_domain::DomainResult;
use bilim_domain::catalogue::{CourseStatus, Level};
use bilim_domain::search::document_text;
use bilim_domain::users::UserRole;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// Modules of a demo course, and lessons of each module.
const DEMO_MODULES: u64 = 10;
const DEMO_LESSONS: u64 = 10;

/// A demo direction: its name, description and course titles.
pub(super) struct DemoDirection {
    pub(super) name: &'static str,
    description: &'static str,
    courses: &'static [&'static str],
}

pub(super) const DEMO_DIRECTIONS: [DemoDirection; 3] = [
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
        let description = format!(
            "«{title}» kursi: video darslar, amaliy topshiriqlar va ish daftarlari. \
             {DEMO_MODULES} ta modul, {} ta dars.",
            DEMO_MODULES * DEMO_LESSONS
        );
        self.courses.push(courses::ActiveModel {
            id: Set(course_id),
            direction_id: Set(direction_ids[which]),
            title_search: Set(title_search(&title)),
            search_text: Set(document_text(&title, &description)),
            description: Set(description),
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
                let title = format!("{l}-dars: {kind}");
                let description = format!(
                    "{m}-modulning {l}-darsi: {} — mavzu tushuntiriladi va misollar bilan mustahkamlanadi.",
                    kind.to_lowercase()
                );
                self.lessons.push(lessons::ActiveModel {
                    id: Set(lesson_id),
                    module_id: Set(module_id),
                    search_text: Set(document_text(&title, &description)),
                    title: Set(title),
                    description: Set(description),
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
