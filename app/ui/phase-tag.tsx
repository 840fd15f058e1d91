import { PHASE_LABELS, type Phase } from '~/lib/phase';

/** The consultation's state in words; colour only repeats what the text says. */
export function PhaseTag({ phase }: { phase: Phase }) {
  return <strong className={`tag tag--${phase}`}>{PHASE_LABELS[phase]}</strong>;
}
