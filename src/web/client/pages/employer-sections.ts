/**
 * Sections other modules add to the employer page (patrols, warnings, credit grade, listings): each
 * registers a renderer here, from its own page module imported by main.ts. Until one is registered for
 * a slot, the page shows that slot as not yet available, so the page's layout is settled now.
 */
import type { PageContext } from '../router';

export interface EmployerSummary {
  id: string;
  name: string;
  gridId: string | null;
  gridName: string | null;
  may: { update: boolean; move: boolean; report: boolean; history: boolean; cases: boolean };
}

export type EmployerSectionSlot = 'patrols' | 'warnings' | 'grade' | 'listings' | 'other';

export interface EmployerSection {
  slot: EmployerSectionSlot;
  /** Heading of the section, in Chinese. */
  title: string;
  /** The section's content, or null to leave it out for this employer or user. */
  render(employer: EmployerSummary, ctx: PageContext): Promise<HTMLElement | null>;
}

/** The slots the page keeps for the prevention module, in page order, with their headings. */
export const EMPLOYER_SLOTS: { slot: Exclude<EmployerSectionSlot, 'other'>; title: string }[] = [
  { slot: 'patrols', title: '日常巡查' },
  { slot: 'warnings', title: '三色预警' },
  { slot: 'grade', title: '守法诚信等级' },
  { slot: 'listings', title: '失信名单与社会公布' },
];

const sections: EmployerSection[] = [];

export function registerEmployerSection(section: EmployerSection): void {
  sections.push(section);
}

export function employerSections(): readonly EmployerSection[] {
  return sections;
}
