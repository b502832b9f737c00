/**
 * Labelled sentences for the terminology guard: positives with the rule ids they should raise, and
 * near misses that must raise nothing. Synthetic, in the style of Aotearoa New Zealand frontline case
 * notes; no real people. Used by terminology.test.ts to measure precision and recall.
 *
 * The labels say what a careful reviewer would want flagged, not what the guard happens to do: a
 * sentence the guard gets wrong stays in the corpus (see `note`) so the measured figures stay honest.
 */
export interface CorpusCase {
  text: string;
  /** Rule ids expected for this sentence; empty for a near miss. */
  expect: readonly string[];
  /** Why the case is here, when it is not obvious. */
  note?: string;
}

export const TERMINOLOGY_CORPUS: readonly CorpusCase[] = [
  // ── Child sexual abuse material ────────────────────────────────────────────────────────────────
  {
    text: "Police located child pornography on the man's phone during the search warrant.",
    expect: ['child-pornography'],
  },
  {
    text: 'Jayden (15) told the school counsellor that older boys were sharing kiddie porn of a Year 9 girl on Snapchat.',
    expect: ['child-pornography'],
  },
  {
    text: 'The offender had over 300 images of child\nporn saved to a USB stick.',
    expect: ['child-pornography'],
    note: 'line break inside the term',
  },
  {
    text: 'DIA referred a file containing child-pornography linked to an Ōtāhuhu address.',
    expect: ['child-pornography'],
  },
  {
    text: 'Mele’s stepfather is suspected of producing child pornographic images of her and her cousin.',
    expect: ['child-pornography'],
  },
  { text: 'The Snapchat account was used to trade child porno files.', expect: ['child-pornography'] },
  {
    text: 'CHILD PORNOGRAPHY charges were laid at the Manukau District Court.',
    expect: ['child-pornography'],
  },
  {
    text: 'His mates filmed it and the video is now being traded as child porn.',
    expect: ['child-pornography'],
  },
  {
    text: 'The man is believed to have made porn of her when she was staying at his flat in Porirua.',
    expect: ['child-pornography'],
  },
  {
    text: 'Two kiddy-porn folders were found on the shared drive at the address.',
    expect: ['child-pornography'],
  },
  {
    text: 'Aroha’s ex posted revenge porn of her on a Discord server when she was 15.',
    expect: ['revenge-porn'],
  },

  // ── Exploitation of children in prostitution ──────────────────────────────────────────────────
  {
    text: 'The report describes child prostitution in South Auckland as a growing problem.',
    expect: ['child-prostitution'],
  },
  {
    text: 'Staff at the youth hostel were not trained to recognise juvenile prostitution.',
    expect: ['child-prostitution'],
  },
  {
    text: 'Police coded the event as teen prostitution rather than exploitation.',
    expect: ['child-prostitution'],
  },
  {
    text: 'There has been a rise in teenage prostitution around Karangahape Road since lockdown.',
    expect: ['child-prostitution'],
  },
  {
    text: 'Aroha was described by the duty officer as a child prostitute known to frequent the area.',
    expect: ['child-prostitute'],
  },
  {
    text: 'The motel manager said child prostitutes were often brought to room 12.',
    expect: ['child-prostitute'],
  },
  { text: 'A 14-year-old prostitute was picked up by Police at 2am.', expect: ['child-prostitute'] },
  {
    text: 'The nurse recorded that the teen prostitute had an untreated STI.',
    expect: ['child-prostitute'],
  },
  {
    text: 'The 15 y/o prostitute was described in the Police log as a street kid.',
    expect: ['child-prostitute'],
  },
  { text: 'The boy was described as a rent boy in the ED notes.', expect: ['child-prostitute'] },
  {
    text: 'Jayden was referred to as an underage sex worker in the ED notes.',
    expect: ['child-sex-worker'],
  },
  {
    text: 'Ngā kōtiro were labelled child sex workers by the security guard at the mall.',
    expect: ['child-sex-worker'],
  },
  {
    text: 'He is a 16-year-old sex worker according to the original report of concern.',
    expect: ['child-sex-worker'],
  },
  {
    text: 'Mele (14) told her kaiāwhina that she is a sex worker and likes the money.',
    expect: ['child-sex-worker'],
    note: 'no adjective: the age marker before the term makes the child the subject',
  },
  {
    text: 'Aroha was labelled a child\n  sex worker in the 2021 case notes.',
    expect: ['child-sex-worker'],
    note: 'line break and indentation inside the term',
  },
  {
    text: 'The CYF file from 2019 says she was involved in child sex work in Hamilton.',
    expect: ['child-sex-work'],
  },
  {
    text: 'Underage sex work is common among rangatahi who have run from residential care.',
    expect: ['child-sex-work'],
  },
  {
    text: 'Aroha, 15, has been doing sex work on the street since she was 13.',
    expect: ['child-sex-work'],
  },
  {
    text: 'Aroha (16) told the nurse she does sex work to pay for her own flat.',
    expect: ['child-sex-work'],
  },

  // ── Travel and tourism ────────────────────────────────────────────────────────────────────────
  {
    text: 'The man is being investigated for child sex tourism in Fiji and Rarotonga.',
    expect: ['child-sex-tourism'],
  },
  {
    text: 'Customs flagged him as a child sex tourist after three trips to Southeast Asia.',
    expect: ['child-sex-tourist'],
  },
  {
    text: 'Child sex tourists are thought to target large sporting events like the Rugby World Cup.',
    expect: ['child-sex-tourist'],
  },
  {
    text: 'The tour operator is suspected of facilitating child-sex-tourism in Te Tai Tokerau.',
    expect: ['child-sex-tourism'],
  },
  {
    text: 'Intel suggests child sex-\ntourism around Queenstown during the ski season.',
    expect: ['child-sex-tourism'],
    note: 'hyphen at a line break',
  },
  {
    text: 'Detective Sergeant Hona said the offender was a known child sex tourist who travelled to Samoa.',
    expect: ['child-sex-tourist'],
  },
  {
    text: 'The investigation concerns webcam child sex tourism involving children in the Philippines paid by NZ men.',
    expect: ['webcam-child-sex-tourism'],
  },

  // ── "Client" of a child ───────────────────────────────────────────────────────────────────────
  { text: 'Aroha said her clients paid her in cash and vapes.', expect: ['client'] },
  {
    text: 'The client paid her $80 and dropped her back at the Manurewa shops.',
    expect: ['client'],
  },
  { text: 'Police identified three clients of the girl through her phone.', expect: ['client'] },
  { text: 'Mele was made to see clients at a motel in Papatoetoe for money.', expect: ['client'] },
  {
    text: 'The johns would pick her up near the dairy on Great South Road.',
    expect: ['client'],
  },
  { text: 'Punters on the street knew she was only fourteen.', expect: ['client'] },
  { text: 'One customer paid him $50 for sex behind the skate park.', expect: ['client'] },
  { text: 'She was paid by a client to send photos.', expect: ['client'] },
  { text: 'Her customers were men from the port who paid her in cash.', expect: ['client'] },
  { text: 'Mele said a punter drove her to Māngere and left her there.', expect: ['client'] },
  {
    text: 'Police believe at least six johns paid to abuse her over the summer.',
    expect: ['client'],
  },
  { text: 'He had regular clients who paid him through his Instagram.', expect: ['client'] },
  {
    text: 'The 14-year-old’s customers found her through an online ad.',
    expect: ['client'],
  },
  { text: 'The girls are being sold to clients through a Telegram channel.', expect: ['client'] },
  { text: 'Aroha was forced to service clients at a house in Flaxmere.', expect: ['client'] },
  { text: 'The pimp set her up with customers on Snapchat.', expect: ['client'] },
  {
    text: 'Te kaimahi noticed the rangatahi’s clients paying her in the carpark behind the marae.',
    expect: ['client'],
  },
  {
    text: 'Ko Aroha tōna ingoa; she is 15 and her clients find her through Tinder.',
    expect: ['client'],
  },
  {
    text: 'She had up to ten clients a night during the school holidays, according to her cousin.',
    expect: ['client'],
  },

  // ── Consent and complicity ────────────────────────────────────────────────────────────────────
  {
    text: 'Aroha says she chose to go with the men because they had a place to stay.',
    expect: ['chose'],
  },
  {
    text: 'The SW noted that Mele chose this life and does not want help.',
    expect: ['chose'],
  },
  { text: 'Staff believe it is a lifestyle choice for her.', expect: ['chose'] },
  {
    text: 'It was her own choice to go back to him after the party.',
    expect: ['chose'],
  },
  {
    text: 'Aroha’s mum says she chose to leave home and work for the gang.',
    expect: ['chose'],
    note: 'curly apostrophe',
  },
  {
    text: 'Jayden chose to go back to the house where the men paid him.',
    expect: ['chose'],
  },
  {
    text: 'The teacher said she was choosing this lifestyle over school.',
    expect: ['chose'],
  },
  {
    text: 'Mele said, “I chose this life, nobody made me.”',
    expect: [],
    note: 'issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged (was flagged before)',
  },
  {
    text: 'The constable described Jayden as a willing participant in the offending against him.',
    expect: ['willing'],
  },
  { text: 'She went willingly with the older men to the house in Ōtara.', expect: ['willing'] },
  {
    text: 'She appeared willing and did not resist, according to the statement of the accused.',
    expect: ['willing'],
  },
  { text: 'Mele took part willingly, the suspect claimed.', expect: ['willing'] },
  {
    text: 'The officer wrote: "the young person is a willing participant and knows what she is doing".',
    expect: [],
    note: 'issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged',
  },
  {
    text: "She's a willing partner in this, according to the Police report.",
    expect: ['willing'],
  },
  {
    text: 'Police stated the sexual activity with the 34-year-old was consensual.',
    expect: ['consensual'],
  },
  {
    text: 'The relationship with her 28-year-old "boyfriend" appeared consensual to school staff.',
    expect: ['boyfriend', 'consensual'],
    note: 'issue 14: "relationship with" an adult is flagged (the boyfriend rule); the quoted "boyfriend" is not',
  },
  { text: 'Police noted the sex was consensual and no charges were laid.', expect: ['consensual'] },
  {
    text: 'Mele consented to sex with the men in exchange for alcohol.',
    expect: ['consented'],
  },
  { text: 'The officer wrote that she consented.', expect: ['consented'] },
  {
    text: 'She consented to the photos being taken, according to the man.',
    expect: ['consented'],
  },
  {
    text: 'She agreed to meet the man for sex after he offered her $100.',
    expect: ['agreed-to'],
  },
  {
    text: 'Aroha agreed to send him nude photos after weeks of messages.',
    expect: ['agreed-to'],
  },
  {
    text: "The boy's uncle says Jayden agreed to it and was paid.",
    expect: ['agreed-to'],
  },
  {
    text: 'Kaimahi overheard a staff member call Aroha a working girl.',
    expect: ['working-girl'],
  },
  {
    text: 'He told her, “you’re my little working girl now.”',
    expect: [],
    note: "issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged: a perpetrator's words are evidence",
  },
  {
    text: "The constable said, 'She's a working girl, she knows the risks'.",
    expect: [],
    note: 'issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged',
  },
  {
    text: 'Her aunty told OT that Mele has been on the game since she was 14.',
    expect: ['on-the-game'],
  },
  {
    text: 'Whaea Rangi said the kōtiro was on the game and nobody at kura knew.',
    expect: ['on-the-game'],
  },
  {
    text: 'According to the teacher, she sells herself for smokes and phone credit.',
    expect: ['selling-herself'],
  },
  {
    text: 'Whānau say she’s selling herself online to older men.',
    expect: ['selling-herself'],
  },
  {
    text: 'Mele was selling sex on Cuba Street at 15, the Wellington team reported.',
    expect: ['selling-herself'],
  },
  {
    text: 'Both girls, aged 14 and 15, are believed to be selling themselves outside the bus station.',
    expect: ['selling-herself'],
  },
  {
    text: 'Jayden was prostituting himself at the truck stop, the report says.',
    expect: ['prostituting-herself'],
  },
  {
    text: 'It is believed she has been prostituting herself for accommodation.',
    expect: ['prostituting-herself'],
  },
  {
    text: 'Aroha keeps putting herself at risk by going to the gang pad.',
    expect: ['put-herself-at-risk'],
  },
  {
    text: 'The report says he placed himself in dangerous situations by meeting men from Grindr.',
    expect: ['put-herself-at-risk'],
  },
  {
    text: 'The night shelter manager said Aroha puts herself in harm’s way every weekend.',
    expect: ['put-herself-at-risk'],
  },
  {
    text: 'One officer said she was asking for it because of how she dressed.',
    expect: ['asked-for-it'],
  },
  { text: 'The uncle claimed she led him on.', expect: ['led-him-on'] },
  {
    text: 'The accused told Police the 13-year-old led him on.',
    expect: ['led-him-on'],
  },
  {
    text: 'The file says she is promiscuous and unlikely to engage.',
    expect: ['promiscuous'],
  },
  {
    text: 'She was described as sexually promiscuous in the 2020 OT notes.',
    expect: ['promiscuous'],
  },
  {
    text: 'The caseworker described the situation as self-prostitution.',
    expect: ['self-prostitution'],
  },
  {
    text: 'A 40-year-old man was sexting her and threatened to share the images with her school.',
    expect: ['sexting-coerced'],
  },
  {
    text: 'He pressured Mele into sexting him and then demanded money.',
    expect: ['sexting-coerced'],
  },
  {
    text: 'Her "boyfriend" (42) was sexting her and asking for photos in exchange for vape money.',
    expect: ['sexting-coerced'],
  },

  // ── Several findings in one sentence ──────────────────────────────────────────────────────────
  {
    text: 'Police described Aroha as a child prostitute who chose to work for the gang.',
    expect: ['child-prostitute', 'chose'],
  },
  {
    text: 'The client paid her for sex and the officer said it was consensual.',
    expect: ['client', 'consensual'],
  },
  {
    text: 'He kept child pornography of the girls and told Police they were willing participants.',
    expect: ['child-pornography', 'willing'],
  },
  {
    text: 'Mele, 13, was called a working girl by the security guard, who said she sells herself at the station.',
    expect: ['working-girl', 'selling-herself'],
  },
  {
    text: 'Her clients, the investigator noted, were men who paid for child\r\nprostitution at the motel.',
    expect: ['client', 'child-prostitution'],
  },
  {
    text: 'He is believed to have bought child pornography and webcam child sex tourism sessions from the Philippines.',
    expect: ['child-pornography', 'webcam-child-sex-tourism'],
  },
  {
    text: 'Jayden was on the game at 14 and his clients paid him through an app.',
    expect: ['on-the-game', 'client'],
  },
  {
    text: 'I te pō, the kōtiro (14) was seen getting into cars; a kaimahi said she was a child prostitute and it was consensual.',
    expect: ['child-prostitute', 'consensual'],
  },
  {
    text: 'Under the Optional Protocol on the sale of children, child prostitution and child pornography, NZ must act on child sex tourism.',
    expect: ['child-sex-tourism'],
    note: 'the title is exempt; the term outside it is not',
  },
  {
    text: 'The officer cited the Prostitution Reform Act 2003 but still called Mele a child prostitute.',
    expect: ['child-prostitute'],
  },

  // ── Near misses: "client" in ordinary social-work use ─────────────────────────────────────────
  { text: 'My client is 14 and lives with her nan in Porirua.', expect: [] },
  { text: 'The client was seen at the Kāinga Ora office with her whānau.', expect: [] },
  { text: 'Our clients are mostly rangatahi aged 13 to 17 referred by OT.', expect: [] },
  {
    text: 'The social worker said her clients often disclose sexual harm months after the event.',
    expect: [],
  },
  { text: 'Client consent was obtained before the referral to Tiaki.', expect: [] },
  {
    text: "Mele's case was discussed at the multi-agency meeting; the client (Mele) is 15.",
    expect: [],
  },
  { text: 'The client is a 14-year-old tamaiti Māori referred by the school nurse.', expect: [] },
  { text: 'Clients of the Whānau Ora provider receive wraparound support.', expect: [] },
  { text: 'The school counsellor sees clients on Tuesdays at the wharekura.', expect: [] },
  {
    text: 'The agency’s clients include young people exploited for sex by gang associates.',
    expect: [],
  },
  { text: 'Te Whāriki social workers see clients across Tāmaki Makaurau.', expect: [] },
  {
    text: 'My client told me the man paid her $50, and she is scared he will find her.',
    expect: [],
    note: 'the client is the child; the payer is not called a client',
  },
  { text: 'John picked her up from kura at 3pm.', expect: [] },
  { text: 'The motel is on Johns Road in Christchurch.', expect: [] },
  { text: 'The punters at the TAB were betting on the rugby.', expect: [] },
  { text: 'The customer paid the dairy owner and left.', expect: [] },
  { text: 'She works at Countdown and her customers are usually kind to her.', expect: [] },

  // ── Near misses: consent, choice and willingness negated or unrelated ─────────────────────────
  { text: 'The child chose a seat near the door during the evidential interview.', expect: [] },
  { text: 'She chose to sit next to her kuia during the whānau hui.', expect: [] },
  { text: 'Jayden chose to stay with his koro over the school holidays.', expect: [] },
  { text: 'Aroha chose a new name for her Instagram after the harassment.', expect: [] },
  { text: 'The seat she chose was closest to the whānau room.', expect: [] },
  { text: 'She was not willing to get into the car.', expect: [] },
  { text: 'She was not a willing participant.', expect: [] },
  { text: 'Jayden did not choose this; he was groomed over six months.', expect: [] },
  { text: 'It was not her choice to go with them; she was threatened.', expect: [] },
  { text: 'Nobody chose this for her.', expect: [] },
  { text: 'Mele never consented and could not consent at 14.', expect: [] },
  { text: 'A child cannot consent to their own exploitation.', expect: [] },
  { text: 'Aroha was too young to consent to any of it.', expect: [] },
  { text: 'Did she consent? She could not, legally or otherwise.', expect: [] },
  { text: 'Police confirmed the relationship was not consensual.', expect: [] },
  { text: 'In no way was the contact consensual.', expect: [] },
  { text: 'The images were a non-consensual sharing of self-generated content.', expect: [] },
  {
    text: 'Police are investigating the non-consensual distribution of intimate images of two Year 10 students.',
    expect: [],
  },
  { text: 'Aroha agreed to the referral and to a whānau hui next week.', expect: [] },
  { text: 'Her mum consented to information being shared with the school.', expect: [] },
  { text: 'Mele consented to a sexual health check at the clinic.', expect: [] },
  { text: 'Her nan agreed to have her stay while OT completed the assessment.', expect: [] },
  { text: 'Jayden agreed to meet with the Police youth aid officer.', expect: [] },
  { text: 'The man agreed to pay her $50 for sex.', expect: [], note: 'the offender agreed, not the child' },
  { text: 'She was willing to talk to Police about the men who paid her.', expect: [] },
  { text: 'He is willing to engage with the youth worker.', expect: [] },
  { text: 'Willing whānau members attended the hui at the marae.', expect: [] },
  { text: 'Kua whakaae a Mele ki te hui ā-whānau.', expect: [] },
  { text: 'She is a hard-working girl who loves kapa haka.', expect: [] },
  { text: 'A working party on CSEC terminology met in Te Whanganui-a-Tara.', expect: [] },
  { text: 'He was focused on the game and did not notice the text messages.', expect: [] },
  { text: 'The boys were on the game console until 2am.', expect: [] },
  { text: 'Jayden sells himself short in class and needs encouragement.', expect: [] },
  { text: 'She asked for it back when he took her phone.', expect: [] },
  { text: "Aroha's kuia said she didn't ask for it, she was a baby.", expect: [] },
  { text: 'He led them on a tour of the marae.', expect: [] },
  { text: 'She did not put herself at risk; she was taken there by her uncle.', expect: [] },
  {
    text: 'The youth worker put herself at risk by driving to the gang pad alone.',
    expect: [],
    note: 'an adult worker, not the child',
  },
  {
    text: 'Year 9 students were sexting each other, which the dean addressed with both whānau.',
    expect: [],
  },
  { text: 'Mele was sexting a boy from her class, which both whānau knew about.', expect: [] },

  // ── Near misses: legal titles and citations ───────────────────────────────────────────────────
  {
    text: 'The man was charged under the Films, Videos, and Publications Classification Act 1993, s 131A.',
    expect: [],
  },
  {
    text: 'Charges under the Prostitution Reform Act 2003 s 23 cannot be laid against the young person.',
    expect: [],
  },
  {
    text: 'New Zealand ratified the Optional Protocol on the sale of children, child prostitution and child pornography in 2011.',
    expect: [],
  },
  {
    text: 'The Optional Protocol to the Convention on the Rights of the Child on the Sale of Children, Child Prostitution and Child Pornography requires states to criminalise these acts.',
    expect: [],
  },
  {
    text: 'The former Special Rapporteur on the sale of children, child prostitution and child\npornography reported on the Pacific.',
    expect: [],
  },
  {
    text: 'He was charged under Crimes Act 1961 s 144C (organising or promoting child sex tours).',
    expect: [],
  },
  {
    text: 'Section 144C of the Crimes Act criminalises “organising or promoting child sex tours”.',
    expect: [],
    note: 'a quoted section heading (wording from the ECPAT seed report)',
  },
  {
    text: 'ECPAT NZ notes that child participation in the regulated sex work industry is prohibited.',
    expect: [],
    note: 'about the sector, not a child',
  },
  { text: 'ECPAT originally stood for End Child Prostitution in Asian Tourism.', expect: [] },
  { text: 'The US Child Pornography Prevention Act 1996 was partly struck down.', expect: [] },
  {
    text: 'Police did not lay charges under the Harmful Digital Communications Act 2015 s 22A.',
    expect: [],
  },
  {
    text: 'The Prostitution Reform Act 2003 does not protect children; exploitation of children in prostitution is an offence under s 20.',
    expect: [],
  },

  // ── Near misses: preferred terms, adult sex work, substrings, mentions ────────────────────────
  { text: 'Police seized child sexual abuse material from two devices.', expect: [] },
  { text: 'Child Sexual Abuse Material (CSAM) was found on the shared drive.', expect: [] },
  {
    text: 'The report uses child sexual exploitation material and exploitation of children in prostitution throughout.',
    expect: [],
  },
  {
    text: 'Mele is a child exploited in prostitution, and the men who paid her are offenders.',
    expect: [],
  },
  { text: 'The prostituted child was moved between Hamilton and Tauranga by the gang.', expect: [] },
  { text: 'Children sold for sex are victims of a crime, not offenders.', expect: [] },
  { text: 'Sex with a minor is a serious offence and the man has been charged.', expect: [] },
  { text: 'Her mother is a sex worker and Aroha has stayed with her nan since she was 9.', expect: [] },
  { text: 'Aroha, 15, said her mum works as a sex worker in Christchurch.', expect: [] },
  {
    text: 'A friend’s older sister is a sex worker in Auckland and offered Aroha a place to stay.',
    expect: [],
  },
  {
    text: 'Two sex workers called the NGO because a girl who looked about 13 was on the street.',
    expect: [],
  },
  { text: 'He showed her pornographic videos on his phone before the offending.', expect: [] },
  { text: 'The pornographic material on his laptop was adult content, not CSAM.', expect: [] },
  { text: 'Kiddie pools were set up at the whānau day in Ōpōtiki.', expect: [] },
  { text: 'Jayden has CP (cerebral palsy) and uses a wheelchair at kura.', expect: [] },
  {
    text: "Staff were trained in the Luxembourg Guidelines, which replace 'child pornography' with child sexual abuse material.",
    expect: [],
    note: 'a term in quotation marks on its own is being mentioned, not used',
  },
  {
    text: 'Aroha’s mum called her a “child prostitute”, which Aroha found shaming.',
    expect: [],
  },
  { text: 'The so-called child sex workers in the 1990s file were all under 16.', expect: [] },
  {
    text: 'Sugar dating apps were found on her phone; an older man paid her rent.',
    expect: [],
  },
  { text: 'Her working hours at the café clash with kura.', expect: [] },
  { text: 'He paid her phone bill to keep her dependent on him.', expect: [] },
  {
    text: 'She chose to disclose the abuse to her teacher at kura.',
    expect: [],
    note: 'a child choosing to disclose is exactly what we want to record',
  },
  { text: 'He chose to exploit her because she had nowhere else to go.', expect: [] },
  { text: 'The clients at the youth service are mostly referred by schools.', expect: [] },
  { text: 'The clients pay the pimp, and the girls see none of the money.', expect: ['client'] },

  { text: 'Mum says Aroha consented to the move to Hamilton.', expect: [] },
  { text: 'Jayden willingly engaged with the sexual health nurse.', expect: [] },
  {
    text: 'The older men at the party gave her alcohol and she agreed to go with them.',
    expect: ['agreed-to'],
  },
  {
    text: 'The man described Mele (15) as his girlfriend and said she was a willing partner.',
    expect: ['willing'],
  },

  // ── Held-out block ────────────────────────────────────────────────────────────────────────────
  // Written after the first run, without looking at the rules; kept whatever the guard does with
  // them. docs/terminology.md records how the guard scored on this block before any rule changed.
  {
    text: 'Police attended a job where a 15yo female was working as a prostitute from a Hamilton motel.',
    expect: ['child-prostitute'],
  },
  {
    text: "The young person advised she has been 'doing sex work' for about a year.",
    expect: [],
    note: 'issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged',
  },
  {
    text: 'Caller reports that her 13 year old daughter is sleeping with older men for money and chose to leave home.',
    expect: ['chose'],
  },
  {
    text: 'Rangatahi disclosed she gets paid by guys she meets on Snapchat; she says it is consensual.',
    expect: ['consensual'],
  },
  {
    text: 'Concerns that Tama (14) is being pimped out and willingly goes with the men.',
    expect: ['willing'],
  },
  { text: "She told Police the men were her 'customers'.", expect: [] },
  {
    text: 'The offender admitted possessing objectionable publications, namely CP.',
    expect: ['child-pornography'],
    note: 'the abbreviation is not matched: "CP" is also cerebral palsy',
  },
  {
    text: "He offered her $20 to 'have some fun' and she agreed.",
    expect: ['agreed-to'],
    note: 'bare "agreed" with no "to" is not matched',
  },
  {
    text: "Officer noted the 14-year-old victim 'appeared to enjoy the attention' and was a willing participant.",
    expect: ['willing'],
  },
  {
    text: 'The customers, mostly older men, contacted her through a sugar dating site.',
    expect: ['client'],
  },
  { text: "The girl's 'boyfriend' was selling her to other men at parties.", expect: [] },
  {
    text: 'She said she went with them willingly because she needed somewhere to sleep.',
    expect: ['willing'],
  },
  {
    text: 'School reports Jayden is promiscuous online and sends nudes to adults.',
    expect: ['promiscuous'],
  },
  { text: "He said she was 'up for it' and consented every time.", expect: ['consented'] },
  { text: 'The 16 year old has been sex working since leaving care.', expect: ['child-sex-work'] },
  { text: "Whānau concerned she is 'choosing' to stay with the gang members.", expect: [] },
  { text: 'Her nan said she is a good girl and would never sell herself.', expect: [] },
  {
    text: "OT notes state she is 'street-wise' and 'chooses' to put herself at risk.",
    expect: ['put-herself-at-risk'],
  },
  {
    text: 'Teacher concerned Ana is being groomed; she is not promiscuous, she is a child.',
    expect: [],
  },
  {
    text: 'The man (37) told Police the sex was consensual and that she had lied about her age.',
    expect: ['consensual'],
  },
  {
    text: 'Survival sex in exchange for a bed is common among the rangatahi we work with.',
    expect: [],
  },
  {
    text: "The accused's lawyer argued the complainant was a willing participant.",
    expect: ['willing'],
  },
  {
    text: "She is described on the Police system as a 'known prostitute' despite being 15.",
    expect: [],
    note: 'issue 14: words in quotation marks are what someone said, recorded as the form asks, and are not flagged',
  },
  { text: "The girls' pimp takes half of what the clients pay.", expect: ['client'] },
  {
    text: 'My client (15) disclosed that the clients at the massage parlour were mostly tourists.',
    expect: ['client'],
  },
  {
    text: 'Customers at the takeaway shop where she works have been messaging her.',
    expect: [],
  },
  {
    text: 'The client, a 15-year-old wahine, has agreed to a referral to Tiaki.',
    expect: [],
  },
  { text: 'Jayden consented to the EVA interview being recorded.', expect: [] },
  {
    text: 'Mele agreed to go to the party at the pad where the older men were.',
    expect: ['agreed-to'],
  },
  { text: "The boys were 'on the game' all night, Xbox that is.", expect: [] },
  {
    text: 'He chose to offend against a child; the responsibility is his.',
    expect: [],
    note: 'an offender choosing is accurate language',
  },
  {
    text: 'Her mum is worried the adults around her are calling it consensual.',
    expect: [],
    note: 'reports what others say; the writer is not framing it as consent',
  },
  // ── Issue 14: boyfriend, paid for sex, complicit, quoted words ─────────────────────────────────
  {
    text: 'Her boyfriend (26) drives her to the motel and takes the money.',
    expect: ['boyfriend'],
  },
  { text: 'Her boyfriend from school, also in Year 10, came to the hui.', expect: [] },
  { text: 'She has been getting paid for sex since March.', expect: ['paid-for-sex'] },
  { text: 'He was paid for his work at the car wash.', expect: [] },
  { text: 'Staff felt she was complicit in her own exploitation.', expect: ['complicit'] },
  { text: 'The men who exploited her were complicit with the gang.', expect: [] },
  { text: 'Aroha told Police, “I agreed to it, he was nice to me.”', expect: [] },
  { text: 'Aroha agreed to it after he gave her smokes.', expect: ['agreed-to'] },
];
