// A deterministic synthetic scholarly graph for benchmarks: researchers, institutions, topics, works
// and authorships. Same options → same rows, byte for byte.
//
// Everything is addressed by 1-based local indexes (researcher i, work w, topic t, institution k);
// the loader maps them to database ids. Each entity draws from its own PRNG stream, so a table can
// be produced in its own pass without keeping the graph in memory.
//
// Shape: researchers belong to "communities" of COMMUNITY_SIZE consecutive indexes sharing a field,
// a few topics and usually an institution. A researcher leads ~3 works on average; most co-authors
// come from the lead's community, so the co-author graph is clustered with some long-range links.
import { searchName } from "../../core/text.js";
import { Random } from "./random.js";
import {
  CITIES,
  FIELDS,
  FINDINGS,
  FIRST_NAMES,
  INITIALS,
  INSTITUTION_PATTERNS,
  LAST_NAMES,
  METHODS,
  TITLE_PATTERNS,
  TOPIC_MODIFIERS,
  VENUE_PATTERNS,
  WORK_TYPES,
  WORK_TYPE_WEIGHTS,
} from "./vocabulary.js";

/**
 * Synthetic external ids start with "S" (researchers S<n>, works SW<n>, topics ST<n>, institutions
 * SI<n>). Real OpenAlex ids start with A, W, T and I in those tables, so the two never clash, and
 * `openalex_id LIKE 'S%'` finds exactly the synthetic rows.
 */
export const SYNTHETIC_ID_PREFIX = "S";
export const COMMUNITY_SIZE = 40;
export const MAX_RESEARCHERS = 5_000_000;
const MEAN_WORKS_LED = 3;
const MAX_WORKS_LED = 60;
/** Authors per work: 1..6 with these weights (mean ≈ 3.3). */
const AUTHOR_COUNT_WEIGHTS = [12, 20, 25, 20, 13, 10];
const FIRST_YEAR = 1990;
const LAST_YEAR = 2026;

const enum Stream {
  Researcher = 1,
  Works,
  WorkText,
  Community,
  Interests,
  Affiliations,
  Topics,
  Institutions,
}

export interface SyntheticGraphOptions {
  researchers: number;
  seed?: number;
  /** Default 2,000 (at most TOPIC_MODIFIERS × subjects = 4,000). */
  topics?: number;
  /** Default 5,000. */
  institutions?: number;
}

export interface SyntheticTopic {
  index: number;
  /** Derived from the name alone, so a topic name always carries the same synthetic id. */
  openalexId: string;
  name: string;
  field: number;
  subject: string;
}

export interface SyntheticInstitution {
  index: number;
  openalexId: string;
  name: string;
  countryCode: string;
}

export interface SyntheticResearcher {
  index: number;
  displayName: string;
  searchName: string;
  openalexId: string;
  orcid: string | null;
  openToCollaborate: boolean;
  /** 1 (matched to a persistent id) when an ORCID is present, else 0 (imported). */
  verificationLevel: number;
  citedByCount: number;
}

export interface SyntheticAffiliation {
  researcher: number;
  institution: number;
  lastYear: number;
}

export interface SyntheticResearcherTopic {
  researcher: number;
  topic: number;
  /** How many of the works the researcher leads carry the topic (at least 1). */
  weight: number;
}

/** The structural part of a work: enough for authorship and work_topic rows. */
export interface SyntheticWorkPlan {
  index: number;
  lead: number;
  /** Researcher indexes in author-position order (position = array index + 1). */
  authors: number[];
  topics: number[];
  type: string;
  year: number;
}

export interface SyntheticWork extends SyntheticWorkPlan {
  openalexId: string;
  doi: string | null;
  title: string;
  abstract: string | null;
  venue: string;
  /** YYYY-MM-DD */
  publicationDate: string;
  /** ISO timestamp, UTC */
  sourceCreatedAt: string;
}

interface Community {
  field: number;
  topics: number[];
  institution: number;
}

type Plan = Omit<SyntheticWorkPlan, "index">;

const SUBJECTS = FIELDS.flatMap((field, f) => field.subjects.map((subject) => ({ field: f, subject })));

/** ISO 7064 11,2 check character for the first 15 digits of an ORCID iD. */
export function orcidCheckDigit(digits: string): string {
  let total = 0;
  for (const d of digits) total = (total + Number(d)) * 2;
  const check = (12 - (total % 11)) % 11;
  return check === 10 ? "X" : String(check);
}

/** A well-formed ORCID iD in the 0000-0000-… block, which ORCID has never issued. */
export function syntheticOrcid(n: number): string {
  const base = `00000000${String(n).padStart(7, "0")}`;
  return `${base}${orcidCheckDigit(base)}`.match(/.{4}/g)!.join("-");
}

export class SyntheticGraph {
  readonly researcherCount: number;
  readonly seed: number;
  readonly topics: readonly SyntheticTopic[];
  readonly institutions: readonly SyntheticInstitution[];
  private readonly topicsByField: number[][];
  private cachedCommunity = { id: -1, value: undefined as Community | undefined };

  constructor(options: SyntheticGraphOptions) {
    const { researchers, seed = 42 } = options;
    if (!Number.isInteger(researchers) || researchers < 1 || researchers > MAX_RESEARCHERS) {
      throw new RangeError(`researchers must be an integer from 1 to ${MAX_RESEARCHERS}`);
    }
    this.researcherCount = researchers;
    this.seed = seed >>> 0;
    this.topics = this.makeTopics(Math.min(options.topics ?? 2_000, TOPIC_MODIFIERS.length * SUBJECTS.length));
    this.institutions = this.makeInstitutions(options.institutions ?? 5_000);
    this.topicsByField = FIELDS.map(() => []);
    for (const t of this.topics) this.topicsByField[t.field]!.push(t.index);
  }

  researcher(i: number): SyntheticResearcher {
    const rng = new Random(this.seed, Stream.Researcher, i);
    const first = rng.pick(FIRST_NAMES);
    const middle = rng.chance(0.2) ? ` ${INITIALS[rng.int(0, INITIALS.length - 1)]}.` : "";
    let last: string = rng.pick(LAST_NAMES);
    if (rng.chance(0.06)) last = `${last}-${rng.pick(LAST_NAMES)}`;
    const displayName = `${first}${middle} ${last}`;
    const orcid = rng.chance(0.4) ? syntheticOrcid(i) : null;
    // Power law, scaled by how prolific the researcher is.
    const prolific = (1 + this.worksLedCount(i)) / (1 + MEAN_WORKS_LED);
    const citedByCount = Math.min(2_000_000, Math.round(rng.pareto(15, 1.3) * prolific));
    return {
      index: i,
      displayName,
      searchName: searchName(displayName),
      openalexId: `${SYNTHETIC_ID_PREFIX}${i}`,
      orcid,
      openToCollaborate: rng.chance(0.85),
      verificationLevel: orcid ? 1 : 0,
      citedByCount,
    };
  }

  *researchers(): Generator<SyntheticResearcher> {
    for (let i = 1; i <= this.researcherCount; i++) yield this.researcher(i);
  }

  affiliationsOf(i: number): SyntheticAffiliation[] {
    const rng = new Random(this.seed, Stream.Affiliations, i);
    const current = rng.chance(0.75) ? this.community(i).institution : this.randomInstitution(rng);
    const rows = [{ researcher: i, institution: current, lastYear: rng.int(2021, LAST_YEAR) }];
    if (rng.chance(0.3)) {
      const previous = this.randomInstitution(rng);
      if (previous !== current) rows.push({ researcher: i, institution: previous, lastYear: rng.int(2005, 2020) });
    }
    return rows;
  }

  *affiliations(): Generator<SyntheticAffiliation> {
    for (let i = 1; i <= this.researcherCount; i++) yield* this.affiliationsOf(i);
  }

  researcherTopicsOf(i: number): SyntheticResearcherTopic[] {
    const plans = this.plansLedBy(i);
    return this.interests(i).map((topic) => {
      let weight = 0;
      for (const p of plans) if (p.topics.includes(topic)) weight++;
      return { researcher: i, topic, weight: Math.max(1, weight) };
    });
  }

  *researcherTopics(): Generator<SyntheticResearcherTopic> {
    for (let i = 1; i <= this.researcherCount; i++) yield* this.researcherTopicsOf(i);
  }

  /** Works in index order, without titles or abstracts: cheap, for authorship and work_topic rows. */
  *workPlans(): Generator<SyntheticWorkPlan> {
    let w = 0;
    for (let i = 1; i <= this.researcherCount; i++) {
      for (const p of this.plansLedBy(i)) {
        // Spelled out: object spread here is an order of magnitude slower in V8 at this volume.
        yield { index: ++w, lead: p.lead, authors: p.authors, topics: p.topics, type: p.type, year: p.year };
      }
    }
  }

  *works(): Generator<SyntheticWork> {
    for (const plan of this.workPlans()) yield this.describe(plan);
  }

  totalWorks(): number {
    let total = 0;
    for (let i = 1; i <= this.researcherCount; i++) total += this.worksLedCount(i);
    return total;
  }

  /** The first draw of researcher i's works stream; plansLedBy makes the same draw. */
  private worksLedCount(i: number): number {
    return new Random(this.seed, Stream.Works, i).geometric(MEAN_WORKS_LED, MAX_WORKS_LED);
  }

  private plansLedBy(i: number): Plan[] {
    const rng = new Random(this.seed, Stream.Works, i);
    const count = rng.geometric(MEAN_WORKS_LED, MAX_WORKS_LED);
    const interests = this.interests(i);
    const plans: Plan[] = [];
    for (let n = 0; n < count; n++) {
      const authorCount = Math.min(1 + rng.weighted(AUTHOR_COUNT_WEIGHTS), this.researcherCount);
      const coauthors = this.coauthors(i, authorCount - 1, rng);
      // Leads are usually first (student-led) or last (PI-led) author.
      const r = rng.next();
      const at = r < 0.6 ? 0 : r < 0.85 ? coauthors.length : rng.int(0, coauthors.length);
      coauthors.splice(at, 0, i);
      const topicCount = Math.min(1 + rng.weighted([40, 40, 20]), interests.length);
      const topics = rng.shuffle([...interests]).slice(0, topicCount);
      const type = WORK_TYPES[rng.weighted(WORK_TYPE_WEIGHTS)]!;
      // Skewed towards recent years, as publication volume is.
      const year = LAST_YEAR - Math.floor((LAST_YEAR - FIRST_YEAR + 1) * rng.next() ** 2);
      plans.push({ lead: i, authors: coauthors, topics, type, year });
    }
    return plans;
  }

  /** Distinct co-authors other than `lead`: mostly from the lead's community, sometimes anyone. */
  private coauthors(lead: number, count: number, rng: Random): number[] {
    const start = Math.floor((lead - 1) / COMMUNITY_SIZE) * COMMUNITY_SIZE + 1;
    const end = Math.min(start + COMMUNITY_SIZE - 1, this.researcherCount);
    const picked: number[] = [];
    let attempts = 0;
    while (picked.length < count) {
      const local = end - start >= count && rng.chance(0.85) && attempts < 50;
      const candidate = local ? rng.int(start, end) : rng.int(1, this.researcherCount);
      attempts++;
      if (candidate !== lead && !picked.includes(candidate)) picked.push(candidate);
    }
    return picked;
  }

  private describe(plan: SyntheticWorkPlan): SyntheticWork {
    const rng = new Random(this.seed, Stream.WorkText, plan.index);
    const topic = this.topics[plan.topics[0]! - 1]!;
    const field = FIELDS[topic.field]!;
    const object = rng.pick(field.objects);
    const method = rng.pick(METHODS);
    const title = rng.pick(TITLE_PATTERNS)(topic.subject, object, method);
    const abstract = rng.chance(0.8)
      ? `We study ${topic.subject.toLowerCase()} in ${object} using ${method}. ` +
        `Across ${rng.int(3, 400)} ${object} we find ${rng.pick(FINDINGS)}.`
      : null;
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    const publicationDate = `${plan.year}-${pad(month)}-${pad(day)}`;
    const listed = new Date(Date.UTC(plan.year, month - 1, day + rng.int(0, 30), rng.int(0, 23), rng.int(0, 59)));
    return {
      index: plan.index,
      lead: plan.lead,
      authors: plan.authors,
      topics: plan.topics,
      type: plan.type,
      year: plan.year,
      openalexId: `${SYNTHETIC_ID_PREFIX}W${plan.index}`,
      // 10.5555 is Crossref's prefix for examples; the marker keeps these apart from any real DOI.
      doi: rng.chance(0.65) ? `10.5555/peerlink-synth.${plan.index}` : null,
      title,
      abstract,
      venue: rng.pick(VENUE_PATTERNS)(field.name),
      publicationDate,
      sourceCreatedAt: listed.toISOString(),
    };
  }

  private interests(i: number): number[] {
    const rng = new Random(this.seed, Stream.Interests, i);
    const community = this.community(i);
    const own = rng.shuffle([...community.topics]).slice(0, rng.int(2, 4));
    if (rng.chance(0.1)) {
      const extra = rng.int(1, this.topics.length);
      if (!own.includes(extra)) own.push(extra);
    }
    return own;
  }

  private community(i: number): Community {
    const id = Math.floor((i - 1) / COMMUNITY_SIZE);
    if (this.cachedCommunity.id === id) return this.cachedCommunity.value!;
    const rng = new Random(this.seed, Stream.Community, id);
    let pool = this.topicsByField[rng.int(0, FIELDS.length - 1)]!;
    if (pool.length === 0) pool = this.topics.map((t) => t.index);
    const topics = rng.shuffle([...pool]).slice(0, 5);
    const value = { field: this.topics[topics[0]! - 1]!.field, topics, institution: this.randomInstitution(rng) };
    this.cachedCommunity = { id, value };
    return value;
  }

  private randomInstitution(rng: Random): number {
    return rng.int(1, this.institutions.length);
  }

  private makeTopics(count: number): SyntheticTopic[] {
    const rng = new Random(this.seed, Stream.Topics, 0);
    const combos = rng.shuffle(Array.from({ length: TOPIC_MODIFIERS.length * SUBJECTS.length }, (_, n) => n));
    return combos.slice(0, count).map((combo, n) => {
      const { field, subject } = SUBJECTS[combo % SUBJECTS.length]!;
      const modifier = TOPIC_MODIFIERS[Math.floor(combo / SUBJECTS.length)]!;
      return { index: n + 1, openalexId: `${SYNTHETIC_ID_PREFIX}T${combo + 1}`, name: `${modifier} ${subject}`, field, subject };
    });
  }

  private makeInstitutions(count: number): SyntheticInstitution[] {
    return Array.from({ length: count }, (_, n) => {
      const rng = new Random(this.seed, Stream.Institutions, n + 1);
      const [city, countryCode] = rng.pick(CITIES);
      const name = rng.pick(INSTITUTION_PATTERNS)(city, rng.pick(FIELDS).name, rng.pick(LAST_NAMES));
      return { index: n + 1, openalexId: `${SYNTHETIC_ID_PREFIX}I${n + 1}`, name, countryCode };
    });
  }
}

const pad = (n: number) => String(n).padStart(2, "0");
