/**
 * The terminology table: Luxembourg Guidelines (2016) "avoid" terms and language that implies a
 * child consented to, or is complicit in, their own exploitation. docs/terminology.md explains the
 * pattern language and how to add a row.
 */
import type { ContextName, ExclusionName } from './language.ts';

export type FindingKind = 'avoid_term' | 'implies_consent';

/** One phrase of a rule, with the conditions under which a match counts. */
export interface PatternSpec {
  /** The phrase, in the pattern language (language.ts). */
  phrase: string;
  /**
   * Required words just before the phrase, included in the finding: "({childadj}) " before
   * "prostitutes?" finds "teen prostitute". Same meaning as writing them at the start of the phrase,
   * but much faster when the phrase starts with a rare word and the prefix is a long list.
   */
  prefix?: string;
  /** The sentence must also contain this kind of cue (e.g. buying sex, for "clients"). */
  context?: ContextName;
  /** Only when one of these phrases comes just before the match ("was" in "was on the game"). */
  precededBy?: readonly string[];
  /** Not when one of these phrases comes just before the match ("hard" in "hard-working girl"). */
  notPrecededBy?: readonly string[];
  /** Not when one of these phrases comes just after the match ("short" in "sells herself short"). */
  notFollowedBy?: readonly string[];
}

export interface TerminologyRule {
  /** Stable id, used in findings, tests and analytics. */
  id: string;
  kind: FindingKind;
  /** A plain string is a phrase with no conditions beyond the rule's own. */
  patterns: readonly (string | PatternSpec)[];
  /** Preferred term(s) or framing, most preferred first. */
  preferred: readonly string[];
  /** One line, plain language. */
  reason: string;
  /** Skip when negated in the same clause ("was not willing", "never consented"). */
  negatable?: boolean;
  /** Conditions applied to every pattern of the rule, in addition to the pattern's own. */
  context?: ContextName;
  notPrecededBy?: readonly string[];
  notFollowedBy?: readonly string[];
  /** Skip when the sentence has one of these cues (betting, a paid job, peers). */
  unlessSentence?: readonly ExclusionName[];
  /** Skip when a professional is the subject just before the match ("the social worker said her clients"). */
  unlessWorkerSubject?: boolean;
  /** Words that are someone's name when capitalised ("John", "Johns Road"): such matches are skipped. */
  notCapitalised?: readonly string[];
}

export const CONSENT_REMINDER =
  'A child cannot consent to their own exploitation. Describe what was done to them, and by whom.';

const CSAM = ['child sexual abuse material', 'child sexual exploitation material'];
const IN_PROSTITUTION = ['exploitation of children in prostitution'];
const CHILD_IN_PROSTITUTION = [
  'child exploited in prostitution',
  'child subjected to exploitation in prostitution',
];
/** What a child agrees to with a professional is not consent to exploitation: "the referral", "an EVA interview". */
const SERVICES =
  '(the |a |an |her |his |their |this |any )?({word} )?(referral|referrals|interview|evidential|examination|exam|medical|forensic|sexual health|health|assessment|plan|safety|information|info|sharing|share|service|services|support|counselling|counseling|meeting|hui|treatment|testing|test|contact|home visit|visit|police|tiaki|us|ot|speak|talk|meet with|engage|work with|check|photographs of|being interviewed|being referred|being contacted)';
const SERVICE_OBJECTS = [`(to|for) ${SERVICES}`];
/** A parent or caregiver agreeing or consenting is ordinary: "Mum consented to the referral". */
const CAREGIVER_SUBJECT = [
  '(mum|mother|dad|father|parents?|caregivers?|whānau|whanau|guardians?|nan|nana|koro|kuia|aunty|auntie|aunt|whaea) (has |had |have |also |then |verbally |both )?',
];
/** What the child is said to have agreed to when it is the abuse itself: "agreed to it", "consented to sex". */
const ABUSE_OBJECT =
  '(it|this|that|everything|all of it|all of this|all that|any of it|having sex|have sex|(the |any |all )?(sex|sexual {word}))';
/** Agreement in the object: "agreed to nothing" is a refusal. */
const NOTHING = ['(nothing|none of it|no one|neither)'];
/** "willing to talk to the nurse", "happy to attend": willingness to take up help. */
const HELP_TAKEN_UP = [
  'to (talk|speak|engage|meet with|work with|attend|accept|consider|try|answer|share|disclose|make|give|be interviewed|be referred|participate in|take part in|return|go home|go to|stay with|see|receive|take up|help|support|tell|report|testify|provide|complete|let|keep)',
  'whānau',
  'whanau',
  // "willingly engaged with the nurse" is about services.
  '(engaged|engages|engage|attended|attends|accepted|accepts|spoke|talked|disclosed|shared|answered|completed|agreed to (the|a|an))',
];

/** "the regulated sex work industry" is about the sector, not a child. */
const WHOLE_SECTOR = [
  '(industry|sector|law|laws|legislation|framework|regulation|policy|policies|collective|organisations?|rights|outreach|services?)',
];

export const TERMINOLOGY_RULES: readonly TerminologyRule[] = [
  // ── Avoid terms (Luxembourg Guidelines) ──────────────────────────────────────────────────────────
  {
    id: 'webcam-child-sex-tourism',
    kind: 'avoid_term',
    patterns: ['webcam (child )?sex touris(m|ts?)'],
    preferred: ['live online child sexual abuse'],
    reason: 'It is sexual abuse of a child streamed live, not tourism.',
  },
  {
    id: 'child-sex-tourism',
    kind: 'avoid_term',
    patterns: [{ prefix: '(child|children) ', phrase: 'sex (tourism|tours?|trips?|travel)' }],
    preferred: ['sexual exploitation of children in the context of travel and tourism'],
    reason: '"Sex tourism" makes the abuse of children sound like a leisure industry.',
  },
  {
    id: 'child-sex-tourist',
    kind: 'avoid_term',
    patterns: [{ prefix: '(child|children) ', phrase: 'sex tourists?' }],
    preferred: ['travelling child sex offender'],
    reason: 'The person is an offender who travels to abuse children, not a tourist.',
  },
  {
    id: 'child-pornography',
    kind: 'avoid_term',
    patterns: [
      {
        prefix: "(child|children's|kiddie|kiddy|kid|underage|under-age|juvenile)~",
        phrase: 'porn(o|ography|ographic|ographer|ographers)?',
      },
      '(porn|porno) ((images?|photos?|pictures?|pics?|videos?|clips?|material|content|files?) )?of ({person}|(the |a |an )?{age})',
      'pornographic (images?|photos?|pictures?|pics?|videos?|clips?|material|content|files?) of {person}',
    ],
    preferred: CSAM,
    reason:
      'Each image is a record of a child being sexually abused; "pornography" implies consent and legitimacy.',
  },
  {
    id: 'revenge-porn',
    kind: 'avoid_term',
    patterns: ['revenge~porn(ography)?( of {person})?'],
    preferred: [
      'non-consensual sharing of intimate images',
      'child sexual abuse material (when the person shown is under 18)',
    ],
    reason: '"Revenge porn" frames the abuse as a response to something the child did.',
  },
  {
    id: 'child-prostitution',
    kind: 'avoid_term',
    patterns: [
      {
        prefix:
          "(child|children's|juvenile|teen|teenage|teenaged|underage|under-age|adolescent|youth|minor|schoolgirl)~",
        phrase: 'prostitution',
      },
    ],
    preferred: IN_PROSTITUTION,
    reason: 'A child cannot be a prostitute; someone is exploiting them in prostitution.',
  },
  {
    id: 'child-sex-work',
    kind: 'avoid_term',
    patterns: [
      { prefix: '({childadj}) ', phrase: 'sex work(ing)?' },
      // "Aroha, 15, has been doing sex work": the child is the subject.
      { phrase: 'sex work(ing)?', context: 'minorSubject', notFollowedBy: WHOLE_SECTOR },
    ],
    preferred: IN_PROSTITUTION,
    reason: 'Sex work is work by consenting adults; for a child it is exploitation.',
  },
  {
    id: 'child-prostitute',
    kind: 'avoid_term',
    patterns: [
      { prefix: '({childadj}) ', phrase: 'prostitutes?' },
      'rent boys?',
      {
        phrase: 'prostitutes?',
        context: 'minorSubject',
        // "to prostitute her" describes what an offender did, which is accurate.
        notFollowedBy: ['her', 'him', 'them', 'out', 'the', 'a', 'children', 'girls', 'boys'],
        notPrecededBy: ['to', 'would', 'forced to', 'used to'],
      },
    ],
    preferred: CHILD_IN_PROSTITUTION,
    reason: 'The label puts the child in the wrong; they are a victim of exploitation.',
  },
  {
    id: 'child-sex-worker',
    kind: 'avoid_term',
    patterns: [
      { prefix: '({childadj}) ', phrase: 'sex~workers?' },
      { phrase: 'sex~workers?', context: 'minorSubject', notFollowedBy: WHOLE_SECTOR },
    ],
    preferred: CHILD_IN_PROSTITUTION,
    reason: 'A child cannot be a sex worker; they are being exploited.',
  },
  {
    id: 'client',
    kind: 'avoid_term',
    patterns: [
      // "clients of the girl", "johns of a 14-year-old"
      {
        phrase: '{buyer} of (the |this |that |a )?({child}|{age})',
        notFollowedBy: ["'s", 'service', 'services', 'programme', 'unit', 'team', 'ward', 'school', 'centre'],
      },
      { phrase: '{buyer} of {name}', context: 'commercialSex' },
      // "the client paid her", "customers who booked him"
      '{buyer} (who |that |would |had |then |also |often |sometimes |regularly |usually )?(paid|pay|pays|paying|bought|buy|buys|booked|book|books) {person}',
      {
        phrase:
          '{buyer} (who |that |would |had |then |also |often |sometimes |regularly |usually )?(picked|pick|picks) ({person} up|up {person})',
        context: 'commercialSex',
      },
      // "paid by a client", "sold to clients"
      {
        prefix:
          '(paid|booked|used|abused|raped|sold|passed|driven|taken|offered|trafficked) (by|to) (a |an |the |one |two |three |several |many |other |older |regular |different )?(new |regular |older |paying |male )?',
        phrase: '{buyer}',
      },
      // "her clients", "Aroha's customers", "the 14-year-old's clients" — with buying sex in the sentence
      {
        prefix:
          '(her|his|their) (own |regular |older |first |new |other |paying |male |adult |many |online |usual )?',
        phrase: '(clients|customers|johns|punters)',
        context: 'commercialSex',
      },
      {
        prefix:
          "({child}|{age}|{name})'s (own |regular |older |first |new |other |paying |male |adult |usual )?",
        phrase: '(clients|customers|johns|punters)',
        context: 'commercialSex',
      },
      // "made to see clients", "service clients", "had up to ten clients"
      {
        prefix:
          '(see|sees|seeing|saw|seen|meet|meets|meeting|met|find|finds|finding|found|service|services|servicing|serviced|take|takes|taking|took|taken|entertain|entertaining|entertained|have|has|had|having|with) (up to |at least |about |around )?({count} )?(her |his |their |the |more |other |regular |older |paying |male |adult |new |different )?',
        phrase: '(clients|customers|johns|punters)',
        context: 'commercialSex',
      },
      {
        phrase: '{buyer} (who |that |would |had |then |also |often |usually )?(paid|pay|pays|paying)',
        context: 'commercialSex',
      },
      '{buyer} (at|from|in) (the |a )?(massage )?(parlour|brothel|strip club)',
      // "her clients pick her up": the buyer's act is done to the child herself.
      '(her|his|their) (regular |older |usual |paying |male |adult )?(clients|customers|johns|punters) (who |would |then |also |often |usually )?(pick|picks|picked|collect|collects|collected|meet|meets|met|book|books|booked|pay|pays|paid|message|messages|messaged|text|texts|texted|contact|contacts|contacted|call|calls|called|drive|drives|drove|take|takes|took) (her|him|them)',
      'sugar (daddy|daddies|daddys|mummy|mummies|mommy)',
      '{buyer} (a|per|each|every) (night|day|week|weekend|shift)',
      // Lower-case "johns" and "punters" have no ordinary sense in a child's narrative.
      'johns',
      { phrase: 'john', precededBy: ['a', 'the', 'her', 'his', 'another', 'one'] },
      'punters?',
    ],
    preferred: ['perpetrator', 'offender', 'adult who paid to sexually abuse the child'],
    reason: 'A person who pays to sexually abuse a child is an offender, not a client or customer.',
    unlessSentence: ['paidJob', 'gambling'],
    unlessWorkerSubject: true,
    notCapitalised: ['john', 'johns'],
  },

  // ── Language implying consent or complicity ──────────────────────────────────────────────────────
  {
    id: 'boyfriend',
    kind: 'avoid_term',
    patterns: [
      // "her 28-year-old boyfriend", "her boyfriend sells her": only with an adult or exploitation cue.
      {
        phrase: 'boyfriends?',
        context: 'coercion',
        notPrecededBy: [
          '(calls|called|calling|call|describes|described|describing|refers to|referred to|considers|considered|thinks of|sees) (him |them )?(as )?(her|his|their) (own )?',
        ],
      },
      {
        phrase: '(in a |in an )?(sexual |romantic )?(relationship|dating|going out) with',
        context: 'coercion',
      },
    ],
    preferred: ['the adult exploiting her (say who he is: "a 28-year-old man")', 'offender'],
    reason: '"Boyfriend" or "relationship" frames an adult who grooms or exploits a child as a partner.',
    negatable: true,
    unlessSentence: ['peer'],
  },
  {
    id: 'paid-for-sex',
    kind: 'implies_consent',
    patterns: [
      '(was|were|is|are|been|being|be|get|gets|got|getting|gotten) paid (for|to have) (sex|sexual|sexually)',
      '(earn|earns|earned|earning|make|makes|made|making) (money|cash|an income|a living) (from|through|by|for|doing|selling) (sex|sexual|prostitution|sex work)',
      '(trade|trades|traded|trading|exchange|exchanges|exchanged|exchanging|swap|swaps|swapped|swapping) (sex|sexual (acts?|favours?|favors?|services)) for',
      '(turn|turns|turned|turning) tricks',
    ],
    preferred: [
      'adults paid to sexually abuse her',
      'was exploited in prostitution',
      'was sexually exploited in exchange for …',
    ],
    reason: 'Makes the child the one selling; name the adults who paid to abuse them.',
    negatable: true,
  },
  {
    id: 'complicit',
    kind: 'implies_consent',
    patterns: [
      'complicit in (her|his|their) own',
      '(partly |partially )?(to blame|responsible) for (her|his|their) own (abuse|exploitation|situation)',
      {
        prefix: '(she|he|they|{child}) (is|was|are|were|has been|had been) ',
        phrase: '(complicit|partly to blame|partly responsible)',
      },
    ],
    preferred: ['was exploited (the adults are responsible)'],
    reason: 'A child is never complicit in, or to blame for, their own abuse.',
    negatable: true,
  },
  {
    id: 'self-prostitution',
    kind: 'implies_consent',
    patterns: ['self~prostitut(ion|ing|e|es)'],
    preferred: ['exploitation of the child in prostitution (name who exploited them)'],
    reason: 'There is no "self-prostitution" of a child: someone is buying or selling them.',
  },
  {
    id: 'prostituting-herself',
    kind: 'implies_consent',
    patterns: ['prostitut(e|es|ed|ing) {self}'],
    preferred: ['being exploited in prostitution'],
    reason: 'Makes the child the actor; name the people exploiting them instead.',
    negatable: true,
  },
  {
    id: 'selling-herself',
    kind: 'implies_consent',
    patterns: [
      { phrase: '(sell|sells|selling|sold) {self}', notFollowedBy: ['short', 'as'] },
      '(sell|sells|selling|sold) (her|his|their) (own )?bod(y|ies)',
      { phrase: '(sell|sells|selling|sold) sex', notFollowedBy: ['toys?', 'shop', 'education'] },
    ],
    preferred: ['being sexually exploited', 'being exploited in prostitution'],
    reason: 'A child is not selling anything; adults are buying and profiting from their abuse.',
    negatable: true,
  },
  {
    id: 'working-girl',
    kind: 'implies_consent',
    patterns: [{ phrase: 'working girls?', notPrecededBy: ['hard'] }],
    preferred: ['child exploited in prostitution'],
    reason: 'Frames the exploitation of a child as her job.',
  },
  {
    id: 'on-the-game',
    kind: 'implies_consent',
    patterns: [
      {
        phrase: 'on the game',
        precededBy: [
          'is',
          'was',
          'were',
          'are',
          'been',
          'being',
          'be',
          'go',
          'goes',
          'going',
          'gone',
          'went',
          'get',
          'gets',
          'getting',
          'got',
          '(put|puts|putting) (her|him|them)',
          'started',
          'start',
          'starting',
          'back',
          "'s",
        ],
        notFollowedBy: [
          'console',
          'of',
          'against',
          'between',
          'show',
          'plan',
          'face',
          'tonight',
          'today',
          'last',
          'this',
          'tv',
          'board',
          'controller',
          'xbox',
          'playstation',
          'switch',
          'screen',
        ],
      },
    ],
    preferred: ['being exploited in prostitution'],
    reason: 'Slang that frames the exploitation of a child as something she took up.',
    negatable: true,
  },
  {
    id: 'chose',
    kind: 'implies_consent',
    patterns: [
      '(chose|chosen|choose|chooses|choosing) (this|that|the|her|his|their|a) (life|lifestyle|way of life|path)',
      'lifestyle choices?',
      '(life|lifestyle|way of life|path) (that |which )?(she|he|they) (has |have |had )?(chosen|chose)',
      {
        phrase: '(decided|decides|decide|deciding) to',
        context: 'exploitation',
        notFollowedBy: [
          '(offend|abuse|exploit|hurt|harm|assault|rape|groom|pay|buy|sell|traffic)',
          '(disclose|tell|speak|talk|report|come forward|get help|seek help|ask for help|engage|leave|open|refer|close|escalate|notify|contact|call|remove|uplift|place)',
        ],
      },
      {
        phrase: '(chose|chosen|choose|chooses|choosing) to',
        context: 'exploitation',
        // An offender choosing to offend, or a child choosing to disclose, is accurate language.
        notFollowedBy: [
          '(offend|abuse|exploit|hurt|harm|assault|rape|groom|pay|buy|sell|traffic)',
          '(disclose|tell|speak|talk|report|come forward|get help|seek help|ask for help|engage|leave him|leave them)',
        ],
      },
      { phrase: '(her|his|their) (own )?(choice|decision)', context: 'exploitation' },
      { phrase: '(by|out of) choice', context: 'exploitation' },
      {
        phrase: '(made|makes|making) (a |the |her |his |their )?(own )?(choice|choices|decision) to',
        context: 'exploitation',
      },
    ],
    preferred: ['was exploited', 'was groomed or coerced into', 'had no safe alternative'],
    reason:
      'A child cannot choose to be exploited; choices made under grooming, control or need are not free.',
    negatable: true,
  },
  {
    id: 'willing',
    kind: 'implies_consent',
    patterns: [
      'willing (participants?|partners?|victims?|accomplices?|participation)',
      {
        prefix:
          '(went|go|goes|going|gone|participated|took part|take part|takes part|taking part|engaged|complied|did it|does it|came|come|comes|returned|returns|stayed) (with (him|them|the (man|men|guy|guys|offenders?)) )?',
        phrase: 'willingly',
      },
      'of (her|his|their) own (free )?will',
      { phrase: 'willing(ly)?', context: 'exploitation', notFollowedBy: HELP_TAKEN_UP },
      // "willingly went with him": going with the adult.
      '(willingly|happily|voluntarily) (went|go|goes|going|gone|got|gets|get|returned|returns|stayed|stays|came|comes|left) ((in|into) ({word} )?({word} )?)?with (him|them|the (man|men|guy|guys|offenders?|adults?))',
      {
        phrase: '(happy|keen|eager|glad) to',
        context: 'exploitation',
        notFollowedBy: HELP_TAKEN_UP.map((p) => p.replace(/^to /, '')),
      },
    ],
    preferred: ['complied (out of fear, dependence or grooming)', 'was exploited'],
    reason: 'Apparent willingness is what grooming and coercion produce; it is not consent.',
    negatable: true,
  },
  {
    id: 'consensual',
    kind: 'implies_consent',
    patterns: [{ phrase: 'consensual(ly)?', notPrecededBy: ['non', 'not'] }],
    preferred: ['abusive', 'exploitative', 'sexual abuse of a child'],
    reason: 'Sexual activity between an adult and a child, or for payment, is never consensual.',
    negatable: true,
    unlessSentence: ['peer'],
  },
  {
    id: 'consented',
    kind: 'implies_consent',
    patterns: [
      // "she consented", "consented every time": a claim of consent with no object.
      { phrase: 'consented', notFollowedBy: ['(to|for)'] },
      // "consented to the move" is ordinary; "consented to sex with the men" is not.
      { phrase: '(consented|consents) (to|for)', context: 'exploitation', notFollowedBy: [SERVICES] },
      '(was|were|is|are) consenting',
      'consenting (partner|participant|party|adult)',
      `(consented|consents|consenting) to ${ABUSE_OBJECT}`,
      {
        phrase: 'gave (her |his |their )?consent',
        context: 'exploitation',
        notFollowedBy: SERVICE_OBJECTS,
      },
    ],
    preferred: ['complied', 'was coerced or groomed into', 'was exploited'],
    reason: 'A child cannot consent to their own exploitation.',
    negatable: true,
    notPrecededBy: CAREGIVER_SUBJECT,
  },
  {
    id: 'agreed-to',
    kind: 'implies_consent',
    patterns: [
      { phrase: '(agreed|agrees|agree|agreeing) to', context: 'exploitation' },
      `(agreed|agrees|agree|agreeing) to ${ABUSE_OBJECT}`,
    ],
    preferred: ['complied', 'was coerced or groomed into', 'was exploited'],
    reason: 'Agreement obtained by grooming, pressure or need is not consent, and a child cannot consent.',
    negatable: true,
    notPrecededBy: CAREGIVER_SUBJECT,
    notFollowedBy: [
      ...NOTHING,
      SERVICES,
      '(pay|buy|give|provide|supply|drive|pick|bring|lend)',
      'have (her|him|them) stay',
    ],
  },
  {
    id: 'put-herself-at-risk',
    kind: 'implies_consent',
    patterns: [
      "(put|puts|putting|place|places|placed|placing) {self} (at (high |serious |significant |great )?risk|in danger|in harm's way|in (risky|dangerous|unsafe|vulnerable|high-risk) (situations?|places?|positions?))",
      '(expose|exposes|exposed|exposing) {self} to (risk|danger|harm|abuse|exploitation)',
    ],
    preferred: ['is at risk from the people exploiting them', 'was exposed to harm by …'],
    reason: 'The risk comes from the adults who exploit the child, not from the child.',
    negatable: true,
    unlessWorkerSubject: true,
  },
  {
    id: 'asked-for-it',
    kind: 'implies_consent',
    patterns: [
      {
        phrase: '(asked|asking|asks|ask) for it',
        notFollowedBy: [
          'back',
          'to',
          'again',
          'at',
          'from',
          'later',
          'twice',
          'politely',
          'on',
          'over',
          'via',
          'through',
          'by (email|text|phone)',
          'in writing',
          'please',
        ],
      },
    ],
    preferred: ['was abused (the offender is responsible)'],
    reason: 'Nothing a child does makes them responsible for being abused.',
    negatable: true,
  },
  {
    id: 'led-him-on',
    kind: 'implies_consent',
    patterns: [
      {
        phrase: '(led|leads|leading|lead) (him|them|the (man|men|guy|guys|boys?|offenders?|accused)|men) on',
        notFollowedBy: [
          'a',
          'an',
          'the',
          'to',
          'through',
          'into',
          'towards',
          'foot',
          'board',
          'his',
          'her',
          'their',
        ],
      },
    ],
    preferred: ['the offender groomed and abused the child'],
    reason: "Shifts responsibility for the abuse onto the child; it is the offender's.",
    negatable: true,
  },
  {
    id: 'promiscuous',
    kind: 'implies_consent',
    patterns: [
      '(sexually )?promiscu(ous|ity)',
      // "sexually active with adult men" describes abuse as the child's sex life.
      { phrase: 'sexually active with', context: 'coercion' },
    ],
    preferred: ['is being sexually abused or exploited (say by whom)'],
    reason: "Describes abuse as the child's character or behaviour.",
    negatable: true,
  },
  {
    id: 'sexting-coerced',
    kind: 'implies_consent',
    patterns: ['sext(ing|ed|s)?'],
    preferred: ['online sexual coercion', 'sexual extortion (sextortion)', 'online grooming'],
    reason: '"Sexting" suggests a mutual exchange; with an adult or under pressure it is abuse.',
    negatable: true,
    context: 'coercion',
  },
];
