// Sample reasons for the demo consultation's seeded responses, written for this project. Each
// recommendation has sentences that read as favourable, critical or undecided; a seeded reason
// is made of one to three of them, chosen to match (mostly) the respondent's stance.

export type Tone = 'positive' | 'negative' | 'neutral';
export type Bank = Record<Tone, readonly string[]>;

/** By recommendation number (1–7). */
export const reasonBanks: Record<number, Bank> = {
  1: {
    positive: [
      'Open source infrastructure would give departments real choice and free them from lock-in to one vendor, which is great value.',
      'Public money should build public infrastructure that everyone can inspect, improve and reuse.',
      'An open source first default is a sensible, affordable way to build valuable skills inside government.',
      'Shared open infrastructure would let small suppliers compete fairly for government work.',
      'This is a welcome, practical step that strengthens our own software capability.',
      'Transparent infrastructure builds public trust in how government uses AI.',
      'Open standards make it easy to move between suppliers, a clear benefit for taxpayers.',
    ],
    negative: [
      'Departments lack the skills to run open source infrastructure safely, and outages would be costly.',
      'A blanket default risks poor, careless decisions made only to satisfy a policy.',
      'Maintenance of community projects is uncertain, which is a serious danger for critical systems.',
      'This would add confusing rules to procurement that is already slow and painful.',
      'Forcing one ideology on buyers is wrong and would lead to bad choices.',
      'Without funding for maintenance this policy would leave departments with fragile, neglected systems.',
    ],
    neutral: [
      'The policy needs a clear definition of which infrastructure it covers.',
      'It depends on how each department would decide exceptions.',
      'We would need to see the costs over the full life of the systems.',
      'Departments differ a lot, so the approach may fit some of them only.',
    ],
  },
  2: {
    positive: [
      'If the public pays for a model, the public should be able to use the weights, data and code.',
      'Open release multiplies the value of research funding and helps startups build on it quickly.',
      'Releasing publicly funded models would be a huge boost for universities and small labs.',
      'Open datasets from funded projects would improve research quality and reproducibility.',
      'This is fair, simple and long overdue for publicly funded work.',
      'Open release lets independent researchers check funded models, which is good for safety.',
    ],
    negative: [
      'Forced release would destroy the commercial value that attracts private co-investment.',
      'Mandatory open release could give away work to overseas competitors, a bad loss for the UK.',
      'Some datasets contain personal data, and releasing them would be harmful and unlawful.',
      'Spinouts would struggle to raise money if their core models had to be given away.',
      'A rigid release rule would scare off industry partners and weaken funded projects.',
      'Releasing models with no safeguards is a dangerous, reckless mistake.',
    ],
    neutral: [
      'The rule should say how releases are handled when only part of a project is publicly funded.',
      'Timing matters: a delay before release might balance research and commercial interests.',
      'There should be exceptions for personal data and sensitive work.',
      'The rule should say how compliance is checked after funding ends.',
    ],
  },
  3: {
    positive: [
      'A fast-track would save small open source providers months of delay, a great improvement.',
      'Regulators can inspect open models more easily, so a faster route is fair and sensible.',
      'Clear, quick approval would help open source startups win customers in regulated sectors.',
      'This would reward transparency and encourage more companies to publish their models.',
      'A fast-track is a great way to keep talented teams building here rather than abroad.',
    ],
    negative: [
      'Openness is not the same as safety, and a fast-track could let risky systems through.',
      'Faster approval for one kind of provider is unfair and bad for companies that invest in testing.',
      'Regulators are already stretched; a special track would weaken review and cause harm.',
      'Bad actors could publish a model simply to skip proper checks, which is worrying.',
      'A separate route would create confusing rules and more legal uncertainty, not less.',
    ],
    neutral: [
      'The criteria for the fast-track would need to be published first.',
      'It matters which regulators take part and how their decisions are reviewed.',
      'A pilot in one sector would show what the approach does in practice.',
      'The fast-track should be reviewed after two years.',
    ],
  },
  4: {
    positive: [
      'Procurement rules that recognise open source would finally give small companies a fair chance at contracts.',
      'Buyers should value support, security and lower cost over the life of a system, which favours open source.',
      'Simpler procurement would save money and bring fresh suppliers into the public sector.',
      'Recognising support contracts for open source is a smart, overdue fix.',
      'This would open the market to excellent firms that are shut out today.',
      'Fairer procurement is the single most useful thing government could do for open source companies.',
    ],
    negative: [
      'Changing procurement rules again would add cost and confusion, which is frustrating for buyers and suppliers.',
      'Procurement should be neutral; favouring a licence model is unfair to other suppliers.',
      'Buyers would struggle to judge small open source firms, and failures would be costly.',
    ],
    neutral: [
      'Buyers would need guidance on comparing maintenance contracts.',
      'The framework should explain how liability is assessed.',
      'Training for procurement teams would decide how this plays out.',
    ],
  },
  5: {
    positive: [
      'Focusing Innovate UK funding on open source would build shared foundations that many startups can use.',
      'Grants for open source projects give excellent value because the results are reused widely.',
      'A clear focus would help good open source teams get funding they currently miss.',
      'This would strengthen the UK ecosystem and attract talented engineers.',
      'Targeted grants for open source tooling are a welcome, practical change.',
    ],
    negative: [
      'Funding bodies should not pick winners by licence; it distorts the market and wastes money.',
      'Narrowing priorities would unfairly cut off proprietary companies and damage their growth.',
      'Investors worry this would crowd out private capital and hurt returns for the sector.',
      'A rigid focus on open source would be unfair and harmful to teams with commercial reasons to stay closed.',
      'This risks poor grants to projects with no path to revenue or long-term maintenance.',
    ],
    neutral: [
      'The balance between open and proprietary funding should be published each year.',
      'The programme should say how funded open source projects would be measured.',
      'Matched private money could be a condition for larger grants.',
      'The change could be phased in over a few funding rounds.',
    ],
  },
  6: {
    positive: [
      'Deployment tooling is where models turn into real products, so investment here is valuable and effective.',
      'Better tooling would help small companies deploy models safely and cheaply.',
      'This is the most practical reform and would deliver great value to customers.',
      'Strong deployment tools would make UK companies more productive and competitive.',
      'Investing in evaluation and monitoring tools is essential and very welcome.',
      'Good tooling lowers costs for every startup building on open models.',
    ],
    negative: [
      'Public money for tooling would undercut commercial products that already exist, which is unfair.',
      'Tooling changes so fast that a government programme would be obsolete and wasteful.',
      'This feels vague and risks wasteful spending without clear outcomes.',
    ],
    neutral: [
      'The programme should say which kinds of tooling it would fund.',
      'Grants could go through existing research councils or a new body.',
      'Open licensing of funded tools should be a condition.',
    ],
  },
  7: {
    positive: ['If the seventh reform supports open source companies, it would be welcome.'],
    negative: [
      'It is impossible to judge a reform that has not been described, which is frustrating.',
    ],
    neutral: [
      'We cannot comment until the seventh reform is published.',
      'Please publish the full text of the seventh reform.',
      'No view until the details are known.',
    ],
  },
};

/** Opening and closing words by segment, so that each group's reasons sound like its own. */
export const segmentAsides: Record<'founder' | 'investor' | 'other', Bank> = {
  founder: {
    positive: [
      'As a founder, this would make a real difference to our hiring and growth.',
      'For our startup this would be a great help.',
    ],
    negative: [
      'As a founder, I worry this would add cost and delay for a small team like ours.',
      'For a startup this would be a painful burden.',
    ],
    neutral: ['As a founder, the detail will decide what this means for us.'],
  },
  investor: {
    positive: [
      'From an investor view, this would make the sector more attractive for capital.',
      'Our portfolio companies would benefit from this.',
    ],
    negative: [
      'From an investor view, this would hurt returns and make the sector harder to back.',
      'Our portfolio companies would face damaging uncertainty.',
    ],
    neutral: ['From an investor view, we would need to see the economic evidence first.'],
  },
  other: {
    positive: ['As a researcher, I think this would benefit the wider public.'],
    negative: ['Civil society groups have raised serious concerns, and the risks are worrying.'],
    neutral: ['As a member of the public, I would like more explanation of the trade-offs.'],
  },
};

export const firstNames = [
  'Amira',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hamish',
  'Isla',
  'Jonah',
  'Kavya',
  'Liam',
  'Maya',
  'Nikhil',
  'Olu',
  'Priya',
  'Quentin',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wes',
  'Xin',
  'Yusuf',
  'Zara',
];
export const lastInitials = 'ABCDEFGHJKLMNPRSTW'.split('');

export const organisations: Record<'founder' | 'investor' | 'other', readonly string[]> = {
  founder: [
    'Lattice Labs',
    'Northwind AI',
    'Brightfold',
    'Quarry Systems',
    'Tern Robotics',
    'Hedgerow Data',
    'Copperleaf Health',
    'Slipstream Dev',
    'Oakmoor Analytics',
    'Fieldnote',
  ],
  investor: [
    'Harbour Seed Partners',
    'Longacre Ventures',
    'Kestrel Capital',
    'Millrace Angels',
    'Bellwether Growth',
    'Thistle Fund',
  ],
  other: [
    'University researcher',
    'Digital rights charity',
    'Local authority',
    'Trade association',
    'Independent consultant',
  ],
};
