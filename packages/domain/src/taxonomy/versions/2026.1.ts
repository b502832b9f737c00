/**
 * Tiaki CSEC taxonomy, release 2026.1.
 *
 * RELEASED: this file and the data files it imports are frozen. Referrals recorded under 2026.1
 * are read with exactly this content for ever. To change anything, add a new version file
 * (docs/taxonomy.md, "Changing the taxonomy"); a test guards the content hash.
 *
 * Terminology follows the Luxembourg Guidelines (2016). A child cannot consent to their own
 * exploitation: no entry may suggest consent or complicity.
 * Law references are reference information for trained staff, not legal advice.
 */
import ethnicityData from '../../../reference/taxonomy/2026.1/ethnicity.json' with { type: 'json' };
import iwiData from '../../../reference/taxonomy/2026.1/iwi.json' with { type: 'json' };
import policeDistrictData from '../../../reference/taxonomy/2026.1/police-districts.json' with { type: 'json' };
import { REGIONS } from '../../reference/regions.ts';
import { deepFreeze } from '../freeze.ts';
import type { Ethnicity, Taxonomy } from '../types.ts';

function ethnicityLevel(level: number, code: string): 1 | 2 {
  if (level === 1 || level === 2) return level;
  throw new Error(`Ethnicity ${code}: level ${level} is not 1 or 2`);
}

const ethnicities: Ethnicity[] = ethnicityData.map((e) => ({
  code: e.code,
  label: e.label,
  level: ethnicityLevel(e.level, e.code),
  parent: e.parent,
}));

export const TAXONOMY_2026_1: Taxonomy = deepFreeze<Taxonomy>({
  version: '2026.1',

  manifestations: [
    {
      code: 'exploitation_in_prostitution',
      label: 'Exploitation of children in prostitution',
      definition:
        'Someone uses a child under 18 for sexual activity in return for money, goods, a place to stay, drugs or anything else of value, given to the child or to someone else. It is exploitation however it was arranged and whoever seemed to start it.',
      htcds: { exploitationType: 'SexualExploitation', sexExploitationTypes: ['Prostitution'] },
      subtypes: [
        {
          code: 'survival_exchange',
          label: 'Sexual exploitation for survival needs ("survival sex")',
          definition:
            'A child is sexually exploited in return for food, shelter, transport, alcohol, drugs, phone credit or cash they need to get by. Young people may call it normal; it is still sexual exploitation of a child.',
        },
        {
          code: 'sugar_dating',
          label: '"Sugar dating" arrangements',
          definition:
            'An adult gives a child money, gifts or a lifestyle within a so-called relationship that involves sexual activity, often arranged through websites or apps. The adult is exploiting the child.',
        },
        {
          code: 'third_party_arranged',
          label: 'Arranged or controlled by another person',
          definition:
            'A partner, family member, gang member or other person arranges, advertises or profits from sexual activity with the child, including in brothels, massage parlours, on the street or at private addresses.',
        },
      ],
    },
    {
      code: 'online_sexual_exploitation',
      label: 'Online child sexual exploitation',
      definition:
        'A child is sexually exploited through the internet, phones, games or apps: groomed, pressured, threatened or paid for sexual images, video or live activity.',
      htcds: {
        exploitationType: 'SexualExploitation',
        sexExploitationTypes: ['RemoteInteractiveServices', 'Pornography'],
      },
      subtypes: [
        {
          code: 'online_grooming',
          label: 'Online grooming',
          definition:
            'Someone builds trust or dependence with a child online, often with attention, gifts or secrecy, in order to sexually abuse or exploit them online or in person.',
        },
        {
          code: 'sextortion',
          label: 'Sexual extortion ("sextortion")',
          definition:
            'Someone threatens to share sexual images of a child unless the child sends money, more images or sexual activity. The child is the victim whoever made the first image.',
        },
        {
          code: 'live_online_abuse',
          label: 'Live online child sexual abuse',
          definition:
            'A child is sexually abused in front of a camera while someone watches live, often after paying or directing the abuse from elsewhere.',
        },
        {
          code: 'self_generated_image_sharing',
          label: 'Sharing of self-generated sexual images of a child',
          definition:
            'Someone shares, posts, sells or threatens to share sexual images or video a child made of themselves. However the image first came about, the child is the victim of its sharing.',
        },
      ],
    },
    {
      code: 'child_sexual_abuse_material',
      label: 'Child sexual abuse material',
      definition:
        'Images, video, live streams or other material that show or describe the sexual abuse or exploitation of a child, including computer-made material. Tiaki stores only Police or DIA reference numbers, never the material.',
      htcds: { exploitationType: 'SexualExploitation', sexExploitationTypes: ['Pornography'] },
    },
    {
      code: 'trafficking_sexual_purposes',
      label: 'Trafficking of children for sexual purposes',
      definition:
        'A child is recruited, moved, transferred, harboured or received so that they can be sexually exploited, within Aotearoa or across borders. Under international law, no force, threat or deception is needed when the person is a child.',
      htcds: { exploitationType: 'SexualExploitation', sexExploitationTypes: [] },
      subtypes: [
        {
          code: 'domestic_trafficking',
          label: 'Domestic (internal) trafficking',
          definition:
            'A child is moved between places inside Aotearoa New Zealand, for example between towns, houses or motels, to be sexually exploited. New Zealand citizens can be trafficked.',
        },
        {
          code: 'cross_border_trafficking',
          label: 'Cross-border trafficking',
          definition:
            'A child is brought into, or taken out of, Aotearoa New Zealand to be sexually exploited.',
        },
      ],
    },
    {
      code: 'exploitation_in_travel_tourism',
      label: 'Sexual exploitation of children in travel and tourism',
      definition:
        'A child is sexually exploited by people who travel, such as visitors, tourists, business or event travellers, or New Zealanders overseas, or with the help of travel, accommodation or tourism services.',
      htcds: { exploitationType: 'SexualExploitation', sexExploitationTypes: ['Prostitution'] },
      subtypes: [
        {
          code: 'travel_in_new_zealand',
          label: 'By travellers in Aotearoa New Zealand',
          definition:
            'A visitor, tourist or other traveller sexually exploits a child in Aotearoa New Zealand, including around major events.',
        },
        {
          code: 'travel_overseas',
          label: 'By New Zealanders overseas',
          definition:
            'A New Zealand citizen or resident sexually exploits a child in another country, or organises or promotes travel for that purpose.',
        },
      ],
    },
    {
      code: 'child_early_forced_marriage',
      label: 'Child, early and forced marriage',
      definition:
        'A child under 18 is married, or placed in a marriage-like union, official or not, or a person of any age is made to marry. Unofficial unions of children as young as 13 happen in Aotearoa New Zealand.',
      htcds: { exploitationType: 'ForcedMarriage', sexExploitationTypes: [] },
      subtypes: [
        {
          code: 'unofficial_union',
          label: 'Unofficial, customary or religious union',
          definition:
            'A child is treated as married or as a partner in a union that is not registered, for example through a religious or customary ceremony or family arrangement.',
        },
        {
          code: 'forced_marriage',
          label: 'Forced or coerced marriage',
          definition:
            'A child or young person is pressured, threatened or deceived into a marriage or civil union, or one is being arranged for them, in Aotearoa or overseas.',
        },
      ],
    },
    {
      code: 'other_sexual_exploitation',
      label: 'Other sexual exploitation, or form not yet clear',
      definition:
        'Sexual abuse of a child in exchange for something of value that does not fit the forms above, or where the form is not yet clear. Choose a more specific form when it becomes known.',
      htcds: { exploitationType: 'SexualExploitation', sexExploitationTypes: [] },
    },
  ],

  contexts: [
    {
      code: 'family_violence',
      label: 'Family violence',
      definition:
        'The child lives with, or has lived with, family violence. Sexual exploitation often happens within it.',
    },
    {
      code: 'family_member_involved',
      label: 'Family or whānau member involved',
      definition:
        'A parent, caregiver or other family or whānau member arranges, allows, lends, sells or profits from the sexual exploitation of the child.',
    },
    {
      code: 'intimate_partner',
      label: 'Intimate partner or "boyfriend"',
      definition:
        'The person exploiting the child presents as, or is seen by the child as, a boyfriend, girlfriend or partner.',
    },
    {
      code: 'gang',
      label: 'Gang',
      definition:
        'A gang or gang-connected people are involved, for example by controlling young people ("stables"), using them to settle debts or passing them between members.',
    },
    {
      code: 'peers',
      label: 'Peers or friends',
      definition:
        'Friends or other young people introduce the child to the people exploiting them, or are exploited alongside them.',
    },
    {
      code: 'state_care',
      label: 'In care (Oranga Tamariki or other care placement)',
      definition:
        'The child is in the care or custody of Oranga Tamariki or an iwi or community care provider, including foster, whānau and residential placements. Being in care is itself a known risk.',
    },
    {
      code: 'care_experienced',
      label: 'Previously in care',
      definition: 'The child has been in care in the past, or has recently left care.',
    },
    {
      code: 'youth_justice',
      label: 'Youth justice involvement',
      definition:
        'The child is, or has recently been, involved with youth justice. The child may have been made to offend as part of their exploitation.',
    },
    {
      code: 'homelessness',
      label: 'Homelessness or unstable housing',
      definition:
        'The child has no safe, stable place to live: sleeping rough, couch surfing, in emergency housing or moving between addresses.',
    },
    {
      code: 'substance_use',
      label: 'Alcohol or other drug use',
      definition:
        'The child uses alcohol or other drugs, or has a drug debt. Substances are often used to control children or to reward them.',
    },
    {
      code: 'mental_health',
      label: 'Mental health or distress',
      definition: 'The child has mental health needs, trauma, self-harm or suicidal distress.',
    },
    {
      code: 'disability',
      label: 'Disability or learning support needs',
      definition:
        'The child has a disability, neurodiversity (such as FASD or autism) or learning support needs that people exploiting them may take advantage of.',
    },
    {
      code: 'previous_sexual_abuse',
      label: 'Previous sexual abuse',
      definition: 'The child has been sexually abused before, by anyone.',
    },
    {
      code: 'financial_hardship',
      label: 'Financial hardship',
      definition:
        'The child or their whānau cannot meet basic needs such as food, housing, transport or power.',
    },
    {
      code: 'online_platform',
      label: 'Online platform or app',
      definition:
        'Contact, grooming, advertising or exploitation happened through a website, social media, messaging, gaming or dating app.',
    },
    {
      code: 'commercial_premises',
      label: 'Commercial sex premises',
      definition:
        'The exploitation is linked to a brothel, massage parlour, strip club or other commercial premises.',
    },
    {
      code: 'travel_and_tourism',
      label: 'Travel and tourism',
      definition:
        'Visitors, travellers, hotels, motels, holiday rentals, transport or tour services are involved.',
    },
    {
      code: 'major_event',
      label: 'Major event',
      definition:
        'The exploitation is linked to a large sporting, cultural or other event that brings many visitors to an area.',
    },
    {
      code: 'temporary_visa',
      label: 'International student or temporary visa',
      definition:
        'The child is an international student or holds a temporary visa, or their stay in Aotearoa depends on another person.',
    },
  ],

  indicatorGroups: [
    {
      code: 'physical',
      label: 'Physical',
      definition: 'Signs on the body or in the child’s health.',
    },
    {
      code: 'behavioural',
      label: 'Behavioural',
      definition: 'Changes in how the child acts, talks or spends their time.',
    },
    {
      code: 'situational',
      label: 'Situational',
      definition: 'Where the child is, who they are with and what is happening around them.',
    },
    {
      code: 'online',
      label: 'Online',
      definition: 'What happens on the child’s phone, computer, games or apps.',
    },
    {
      code: 'control',
      label: 'Control',
      definition:
        'Signs that someone else controls the child, their money, movements or contact with others.',
    },
  ],

  indicators: [
    // Physical
    {
      code: 'sti_or_pregnancy',
      group: 'physical',
      strength: 'supporting',
      label: 'Sexually transmitted infection, pregnancy or termination',
      definition:
        'The child has a sexually transmitted infection, is or has been pregnant, or has had a termination.',
      guidance:
        'In a child under 12, treat it as a sign of sexual abuse unless a doctor finds another cause. For any child, ask gently and without blame who the other person is and how old they are, and talk with your safeguarding lead before telling whānau.',
    },
    {
      code: 'repeat_sexual_health_visits',
      group: 'physical',
      strength: 'supporting',
      label: 'Repeated emergency contraception or sexual health visits',
      definition: 'The child often seeks emergency contraception, sexual health tests or emergency care.',
      guidance: 'Note the dates and who came with them. A pattern matters more than any single visit.',
    },
    {
      code: 'unexplained_injuries',
      group: 'physical',
      strength: 'supporting',
      label: 'Unexplained injuries or signs of assault',
      definition:
        'Bruising, bite marks, burns or genital injuries the child cannot or will not explain, or explanations that do not fit.',
      guidance:
        'Record what you see, and what the child says in their own words, without photographs. Seek medical care; if the injury is recent, ask Police about a forensic examination.',
    },
    {
      code: 'under_influence',
      group: 'physical',
      strength: 'supporting',
      label: 'Often under the influence of alcohol or drugs',
      definition: 'The child is often drunk or high, or has a new or growing dependence on alcohol or drugs.',
      guidance:
        'Ask where the substances come from and whether anything is expected in return. Drugs are often used to control or reward children.',
    },
    {
      code: 'neglected_exhausted',
      group: 'physical',
      strength: 'supporting',
      label: 'Exhausted, hungry or unkempt',
      definition: 'The child is often very tired, hungry, unwashed or not getting health care they need.',
      guidance:
        'Ask about where they slept and ate. Weigh it with other signs: on its own it can have many causes.',
    },
    {
      code: 'ownership_marks',
      group: 'physical',
      strength: 'supporting',
      label: 'Tattoo or marks that suggest someone "owns" them',
      definition:
        'A tattoo, brand or mark with another person’s name, a gang sign, money symbols or a barcode.',
      guidance:
        'Ask gently what it means and who arranged it. Describe the mark in words; never photograph it for Tiaki.',
    },

    // Behavioural
    {
      code: 'disclosure',
      group: 'behavioural',
      strength: 'strong',
      label: 'Tells someone they have been sexually exploited',
      definition:
        'The child says, or shows, that they have been given or promised something in return for sexual activity, or that someone made them do sexual things for others.',
      guidance:
        'Listen, believe them and say it is not their fault. Do not question them in detail; write down their exact words, the date and who was there, and refer now.',
    },
    {
      code: 'goes_missing',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Goes missing from home, care or school',
      definition:
        'The child goes missing, often repeatedly, or stays out late or overnight without explanation.',
      guidance:
        'Report each missing episode. When they return, ask where they were, who with, and how they got there and back.',
    },
    {
      code: 'unexplained_money_gifts',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Money, phones, clothes or gifts they cannot explain',
      definition:
        'The child has money, new phones, clothes, jewellery, alcohol, drugs or vouchers with no believable source.',
      guidance: 'Ask who gave them and what the giver expects in return. Gifts are a common grooming step.',
    },
    {
      code: 'older_associates',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Spends time with older people or unknown adults',
      definition:
        'The child has older friends or a much older "boyfriend" or "girlfriend", or adults whānau do not know.',
      guidance:
        'Find out ages and how they met. An adult who has sexual contact with a child under 16 commits an offence.',
    },
    {
      code: 'transactional_language',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Talks about sex as a transaction',
      definition:
        'The child uses sex-industry words, talks about "dates", "the game" or "making money", or knows prices for sexual acts.',
      guidance:
        'Stay calm and curious rather than shocked. Ask who taught them these words and where they heard them.',
    },
    {
      code: 'normalises_exploitation',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Describes sexual exchanges as normal or as their own idea',
      definition:
        'The child says that what happens is normal, that everyone does it, or that it was their idea or their decision.',
      guidance:
        'This is common and does not mean the child is not a victim: a child cannot consent to their own exploitation. Do not record it as the child’s "choice".',
    },
    {
      code: 'sudden_change',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Sudden change in behaviour, mood or appearance',
      definition:
        'The child becomes secretive, withdrawn, angry or fearful, changes friends, or suddenly dresses or looks very different.',
      guidance: 'Note when the change began and what else changed at the same time.',
    },
    {
      code: 'self_harm',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Self-harm or suicidal distress',
      definition: 'The child harms themselves, talks about suicide, or shows acute distress.',
      guidance:
        'Make the child safe first and follow your suicide-prevention procedure. Then consider whether exploitation may be behind it.',
    },
    {
      code: 'school_disengagement',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Stops going to school or training',
      definition:
        'The child is often absent, leaves during the day, or has dropped out of school or training.',
      guidance:
        'Ask where they go instead. Schools: note who collects or drops off the child, and report unknown adults.',
    },
    {
      code: 'fear_of_agencies',
      group: 'behavioural',
      strength: 'supporting',
      label: 'Afraid of Police, Oranga Tamariki or going into care',
      definition:
        'The child refuses help or avoids Police or Oranga Tamariki, often for fear of being placed in residential care.',
      guidance:
        'Explain what will and will not happen. A referral can be made without identifying the child yet, and still counts.',
    },

    // Situational
    {
      code: 'exchanges_sex',
      group: 'situational',
      strength: 'strong',
      label: 'Exchanges sex for food, shelter, drugs, phone credit or money',
      definition:
        'Someone gives the child food, a place to stay, drugs, alcohol, phone credit, money or anything else of value for sexual activity.',
      guidance:
        'This is sexual exploitation of a child, whoever appears to have started it. Make sure the child is safe tonight, then refer.',
    },
    {
      code: 'sex_industry_location',
      group: 'situational',
      strength: 'strong',
      label: 'Found in a brothel, massage parlour or street area where sex is sold',
      definition:
        'The child is seen in or around premises or streets where sex is bought and sold, or at an address used for it.',
      guidance:
        'No one may use a person under 18 in commercial sexual services, and the child cannot be charged. If the child is in danger now, call 111.',
    },
    {
      code: 'family_profits',
      group: 'situational',
      strength: 'strong',
      label: 'A family or whānau member arranges or profits from sexual activity with the child',
      definition:
        'A parent, caregiver or relative lends, sells, arranges or takes something in return for sexual activity with the child.',
      guidance:
        'Do not tell the family member about your concern. Seek advice from Oranga Tamariki or Police before any contact with the family.',
    },
    {
      code: 'marriage_or_union',
      group: 'situational',
      strength: 'strong',
      label: 'Married, in a union, or a marriage is being arranged',
      definition:
        'The child is married or in a marriage-like union, official or not, or the family is arranging one here or overseas.',
      guidance:
        'Nobody under 16 may marry, and 16- and 17-year-olds need Family Court consent. If travel overseas is planned soon, act at once.',
    },
    {
      code: 'taken_to_addresses',
      group: 'situational',
      strength: 'supporting',
      label: 'Taken to hotels, motels, parties or unknown addresses',
      definition: 'Adults take the child to hotels, motels, parties or houses, often at night.',
      guidance:
        'Record addresses, dates, vehicles and names the child mentions; they help Police protect the child.',
    },
    {
      code: 'picked_up_by_adults',
      group: 'situational',
      strength: 'supporting',
      label: 'Picked up or dropped off by unknown adults or cars',
      definition:
        'Unknown adults or different cars collect the child from home, school, care placements or town.',
      guidance: 'Note vehicle details and times if you safely can. Do not confront the driver.',
    },
    {
      code: 'moved_between_places',
      group: 'situational',
      strength: 'supporting',
      label: 'Moved between towns or regions by others',
      definition:
        'Someone moves the child between towns, regions or addresses, often without the child knowing where they are.',
      guidance:
        'Ask whether the child knows where they have been staying and who arranged it. This can be domestic trafficking.',
    },
    {
      code: 'staying_with_adults',
      group: 'situational',
      strength: 'supporting',
      label: 'Staying with adults who are not family',
      definition: 'The child lives or often stays with adults who are not whānau or approved carers.',
      guidance: 'Find out who the adults are and what they expect from the child for the place to stay.',
    },
    {
      code: 'peer_or_sibling_exploited',
      group: 'situational',
      strength: 'supporting',
      label: 'A sibling or friend is being exploited',
      definition:
        'A brother, sister, cousin or friend of the child is known or thought to be sexually exploited.',
      guidance:
        'Consider a referral for each child. Children are often recruited through friends and siblings.',
    },
    {
      code: 'gang_association',
      group: 'situational',
      strength: 'supporting',
      label: 'Connected to a gang',
      definition: 'The child, their partner or the adults around them are connected to a gang.',
      guidance:
        'Record what you know of the connection. Your own safety matters: do not confront gang members.',
    },
    {
      code: 'dependent_on_sponsor',
      group: 'situational',
      strength: 'supporting',
      label: 'Visa, study or housing depends on another person',
      definition:
        'The child’s visa, school place, accommodation or travel depends on an agent, homestay, employer or other adult.',
      guidance:
        'Ask who holds their documents and money. Explain that help does not depend on their visa status.',
    },
    {
      code: 'traveller_seeks_access',
      group: 'situational',
      strength: 'supporting',
      label: 'A visitor or traveller seeks time alone with children',
      definition:
        'A tourist, visitor or traveller seeks unsupervised contact with children, at accommodation, events or online before arriving.',
      guidance:
        'Accommodation and tourism staff: note names, room numbers and dates and tell Police. Do not confront the person.',
    },

    // Online
    {
      code: 'asked_for_images',
      group: 'online',
      strength: 'strong',
      label: 'An adult or older person asks the child for sexual images or live video',
      definition:
        'Someone older asks or pressures the child to send sexual images, or to do sexual things on camera.',
      guidance:
        'Tell the child not to delete anything and not to reply. Note usernames and platforms; do not copy, forward or save any image.',
    },
    {
      code: 'sextortion_threat',
      group: 'online',
      strength: 'strong',
      label: 'Threatened with the sharing of sexual images',
      definition:
        'Someone threatens to share sexual images of the child unless they pay, send more images or do something sexual.',
      guidance:
        'Tell the child it is not their fault and not to pay. Keep the messages, stop contact, and report to Police now.',
    },
    {
      code: 'images_made_or_shared',
      group: 'online',
      strength: 'strong',
      label: 'Sexual images of the child have been made, shared or sold',
      definition:
        'Sexual images or video of the child exist, have been shared, posted or sold, whoever made them.',
      guidance:
        'Never view, copy, forward or store the images. Note where they are and report to Police or DIA; Tiaki records their reference number only.',
    },
    {
      code: 'paid_for_online_activity',
      group: 'online',
      strength: 'strong',
      label: 'Paid or given credit for images or live video',
      definition:
        'The child receives money, gift cards, game credit or other items for sexual images, video or live streaming.',
      guidance:
        'Note the platforms and payment methods. This is exploitation of the child by the person paying.',
    },
    {
      code: 'advertised_for_sex',
      group: 'online',
      strength: 'strong',
      label: 'Appears in an advertisement for sexual services',
      definition:
        'The child’s picture, description or phone number appears in an online or printed advertisement for sex.',
      guidance: 'Do not contact the advertiser. Record where you saw it and when, and report to Police.',
    },
    {
      code: 'secret_online_contact',
      group: 'online',
      strength: 'supporting',
      label: 'Secretive contact with an older online "friend"',
      definition:
        'The child has a new online friend who is older, gives gifts or attention, and asks them to keep it secret or to move to a private app.',
      guidance: 'Ask what they talk about and whether they have met or planned to meet.',
    },
    {
      code: 'dating_apps',
      group: 'online',
      strength: 'supporting',
      label: 'Uses adult dating, "sugar dating" or hook-up apps',
      definition:
        'The child has profiles on dating, sugar-dating or hook-up websites or apps meant for adults.',
      guidance: 'Ask who set up the profile and who they have met through it.',
    },
    {
      code: 'multiple_devices',
      group: 'online',
      strength: 'supporting',
      label: 'Several phones, SIM cards or secret accounts',
      definition:
        'The child has extra phones, SIM cards or hidden social media accounts they will not explain.',
      guidance: 'Ask who gave them the devices and who pays for them.',
    },

    // Control
    {
      code: 'earnings_taken',
      group: 'control',
      strength: 'strong',
      label: 'Someone takes what the child is given for sexual activity',
      definition:
        'Another person collects or keeps the money or goods given in return for sexual activity with the child.',
      guidance: 'This is a sign that someone is profiting from the child. Refer now and tell Police.',
    },
    {
      code: 'controlled_movements',
      group: 'control',
      strength: 'supporting',
      label: 'Someone controls where they go, who they see or their phone',
      definition:
        'Another person decides where the child goes, who they talk to, or checks or holds their phone.',
      guidance: 'Try to speak with the child alone. Note who the person is and how the control shows.',
    },
    {
      code: 'debt_owed',
      group: 'control',
      strength: 'supporting',
      label: 'Owes a debt to someone',
      definition: 'The child, or their whānau, owes money or a drug debt they are expected to pay back.',
      guidance:
        'Ask how the debt is to be repaid. Debts are often used to force children into sexual activity.',
    },
    {
      code: 'threats',
      group: 'control',
      strength: 'supporting',
      label: 'Threatened, or their whānau threatened',
      definition:
        'The child, their family or their friends are threatened with harm, exposure or trouble with authorities.',
      guidance: 'Take threats seriously and plan for the child’s safety with Police.',
    },
    {
      code: 'violence_by_associates',
      group: 'control',
      strength: 'supporting',
      label: 'Violence from a partner or associates',
      definition: 'A partner, older friend, associate or gang member hurts or sexually assaults the child.',
      guidance: 'Treat it as family or sexual violence and make a safety plan; also consider exploitation.',
    },
    {
      code: 'documents_held',
      group: 'control',
      strength: 'supporting',
      label: 'Someone else holds their ID, passport, bank card or phone',
      definition: 'Another person keeps the child’s identity documents, bank card, money or phone.',
      guidance:
        'Ask who has them and why. Note it for Police and, for a visa holder, for Immigration advice.',
    },
    {
      code: 'supplied_substances',
      group: 'control',
      strength: 'supporting',
      label: 'Supplied with alcohol or drugs by adults',
      definition: 'Adults give the child alcohol or drugs, free or on credit.',
      guidance: 'Ask who supplies them and what happens afterwards.',
    },
    {
      code: 'coached_or_spoken_for',
      group: 'control',
      strength: 'supporting',
      label: 'Seems coached, or someone speaks for them',
      definition: 'The child tells a story that sounds rehearsed, or an adult with them answers for them.',
      guidance:
        'Find a safe way to speak with the child alone, with an interpreter if needed (never the accompanying adult).',
    },
    {
      code: 'isolated',
      group: 'control',
      strength: 'supporting',
      label: 'Cut off from whānau, friends or support',
      definition:
        'The child has lost contact with whānau, friends, school or services, often at someone else’s urging.',
      guidance: 'Ask who they can turn to. Reconnecting the child with safe people is part of the response.',
    },
  ],

  lawProvisions: [
    {
      code: 'crimes_98',
      act: 'Crimes Act 1961',
      section: 's98',
      label: 'Dealing in slaves',
      definition:
        'Buying, selling or otherwise dealing with a person as a slave, including for sexual purposes.',
    },
    {
      code: 'crimes_98aa',
      act: 'Crimes Act 1961',
      section: 's98AA',
      label: 'Dealing in people under 18 for sexual exploitation',
      definition:
        'Buying, selling or otherwise dealing in a person under 18 for sexual exploitation. No force or deception is needed, and the child cannot be a party to the offence.',
    },
    {
      code: 'crimes_98c',
      act: 'Crimes Act 1961',
      section: 's98C',
      label: 'Migrant smuggling',
      definition:
        'Arranging for a person to enter New Zealand, or another country, unlawfully for material benefit.',
    },
    {
      code: 'crimes_98d',
      act: 'Crimes Act 1961',
      section: 's98D',
      label: 'Trafficking in persons',
      definition:
        'Recruiting, transporting, transferring, receiving or harbouring a person for exploitation. This section requires deception or coercion, unlike s98AA.',
    },
    {
      code: 'crimes_98e',
      act: 'Crimes Act 1961',
      section: 's98E',
      label: 'Aggravating factors for trafficking and slavery offences',
      definition:
        'Factors the court must consider in sentencing, including that the person exploited was under 18.',
    },
    {
      code: 'crimes_124a',
      act: 'Crimes Act 1961',
      section: 's124A',
      label: 'Indecent communication with a young person under 16',
      definition: 'Sending an indecent message, image or other communication to a person under 16.',
    },
    {
      code: 'crimes_131ab',
      act: 'Crimes Act 1961',
      section: 's131AB',
      label: 'Sexual grooming',
      definition:
        'Communicating with, or doing things to, a young person with the intention of sexually offending against them.',
    },
    {
      code: 'crimes_131b',
      act: 'Crimes Act 1961',
      section: 's131B',
      label: 'Meeting a young person following sexual grooming',
      definition:
        'Meeting, travelling to meet, or arranging to meet a young person under 16, after earlier contact, intending to sexually offend against them.',
    },
    {
      code: 'crimes_132',
      act: 'Crimes Act 1961',
      section: 's132',
      label: 'Sexual conduct with a child under 12',
      definition: 'Any sexual connection or indecent act with a child under 12.',
    },
    {
      code: 'crimes_134',
      act: 'Crimes Act 1961',
      section: 's134',
      label: 'Sexual conduct with a young person under 16',
      definition: 'Sexual connection or an indecent act with a young person under 16.',
    },
    {
      code: 'crimes_144a',
      act: 'Crimes Act 1961',
      section: 's144A',
      label: 'Sexual conduct with children and young people outside New Zealand',
      definition:
        'A New Zealand citizen or resident who sexually offends against a child overseas can be prosecuted in New Zealand.',
    },
    {
      code: 'crimes_144c',
      act: 'Crimes Act 1961',
      section: 's144C',
      label: 'Organising or promoting travel for the sexual exploitation of children',
      definition:
        'Arranging, advertising or promoting travel or accommodation outside New Zealand for the purpose of sexual conduct with children.',
    },
    {
      code: 'crimes_207a',
      act: 'Crimes Act 1961',
      section: 's207A',
      label: 'Coerced marriage or civil union',
      definition: 'Making a person enter a marriage or civil union by threats, force or other coercion.',
    },
    {
      code: 'crimes_208',
      act: 'Crimes Act 1961',
      section: 's208',
      label: 'Abduction for marriage, civil union or sexual connection',
      definition:
        'Taking or keeping a person against their will so that they marry, enter a civil union, or for sexual connection.',
    },
    {
      code: 'pra_20',
      act: 'Prostitution Reform Act 2003',
      section: 's20',
      label: 'Causing or helping a person under 18 to provide commercial sexual services',
      definition:
        'Causing, helping, encouraging or allowing a person under 18 to provide commercial sexual services to anyone.',
    },
    {
      code: 'pra_21',
      act: 'Prostitution Reform Act 2003',
      section: 's21',
      label: 'Receiving earnings from commercial sexual services of a person under 18',
      definition:
        'Receiving a payment or other reward that comes from commercial sexual services provided by a person under 18.',
    },
    {
      code: 'pra_22',
      act: 'Prostitution Reform Act 2003',
      section: 's22',
      label: 'Paying for or receiving commercial sexual services from a person under 18',
      definition:
        'Arranging for, paying for or receiving commercial sexual services from a person under 18. The person who pays commits the offence.',
    },
    {
      code: 'pra_23',
      act: 'Prostitution Reform Act 2003',
      section: 's23',
      label: 'Offences and penalties; the young person cannot be charged',
      definition:
        'Sets the penalties for ss20–22 and provides that the person under 18 cannot be charged as a party to those offences.',
    },
    {
      code: 'fvpca_124',
      act: 'Films, Videos, and Publications Classification Act 1993',
      section: 's124',
      label: 'Dealing in objectionable publications',
      definition:
        'Making, copying, importing, supplying, distributing or displaying objectionable publications, which include child sexual abuse material.',
    },
    {
      code: 'fvpca_127',
      act: 'Films, Videos, and Publications Classification Act 1993',
      section: 's127',
      label: 'Exhibiting restricted publications to people under 18',
      definition:
        'Showing or giving a child a publication that is restricted to adults, such as sexual material.',
    },
    {
      code: 'fvpca_131',
      act: 'Films, Videos, and Publications Classification Act 1993',
      section: 's131',
      label: 'Possessing an objectionable publication',
      definition:
        'Having an objectionable publication, such as child sexual abuse material, in one’s possession.',
    },
    {
      code: 'fvpca_131a',
      act: 'Films, Videos, and Publications Classification Act 1993',
      section: 's131A',
      label: 'Knowingly possessing an objectionable publication',
      definition:
        'Possessing a publication while knowing or having reason to believe it is objectionable; a more serious offence.',
    },
    {
      code: 'marriage_17',
      act: 'Marriage Act 1955',
      section: 's17',
      label: 'No marriage under 16',
      definition: 'A person under 16 cannot lawfully marry in New Zealand.',
    },
    {
      code: 'marriage_18',
      act: 'Marriage Act 1955',
      section: 's18',
      label: 'Marriage at 16 or 17 needs Family Court consent',
      definition:
        'A person aged 16 or 17 may marry only with the consent of a Family Court judge (Minors (Court Consent to Relationships) Legislation Act 2018).',
    },
    {
      code: 'hdca_22',
      act: 'Harmful Digital Communications Act 2015',
      section: 's22',
      label: 'Causing harm by posting a digital communication',
      definition:
        'Posting a digital communication intending to cause, and causing, serious emotional distress.',
    },
    {
      code: 'hdca_22a',
      act: 'Harmful Digital Communications Act 2015',
      section: 's22A',
      label: 'Posting an intimate visual recording without consent',
      definition:
        'Posting an intimate image or video of a person without their consent. A person under 16 cannot consent to such a posting.',
    },
  ],

  lawfulBases: [
    {
      code: 'ota_65a',
      act: 'Oranga Tamariki Act 1989',
      section: 's65A',
      label: 'Wellbeing and safety before confidentiality (principle)',
      definition:
        'The principle that a child’s wellbeing and safety take precedence over confidentiality when deciding to share information. Record with the provision that permits the sharing.',
    },
    {
      code: 'ota_66',
      act: 'Oranga Tamariki Act 1989',
      section: 's66',
      label: 'Request from Oranga Tamariki or Police for an assessment or investigation',
      definition:
        'An agency must supply information that Oranga Tamariki or Police ask for to assess or investigate a report of concern (s17). The information may not be used to investigate an offence.',
      notForOffenceInvestigation: true,
    },
    {
      code: 'ota_66c_prevent_harm',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: prevent or reduce the risk of harm',
      definition:
        'A child welfare and protection agency or independent person may use or disclose information to prevent or reduce the risk of harm to the child.',
    },
    {
      code: 'ota_66c_assessment',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: risk or needs assessment',
      definition: 'To make or contribute to an assessment of the child’s risks or needs.',
    },
    {
      code: 'ota_66c_support_plan',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: support plan',
      definition: 'To make, contribute to or monitor a plan or arrangements to support the child.',
    },
    {
      code: 'ota_66c_prevention_plan',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: prevention plan',
      definition: 'To make, contribute to or monitor a plan to prevent or reduce harm to the child.',
    },
    {
      code: 'ota_66c_ot_services',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: services facilitated by Oranga Tamariki',
      definition: 'To arrange, provide or review services for the child that Oranga Tamariki facilitates.',
    },
    {
      code: 'ota_66c_care_protection',
      act: 'Oranga Tamariki Act 1989',
      section: 's66C',
      label: 'Child welfare and protection: care or protection functions',
      definition: 'To carry out care or protection functions under the Oranga Tamariki Act for the child.',
    },
    {
      code: 'fva_20',
      act: 'Family Violence Act 2018',
      section: 's20',
      label: 'Family violence: assessment, plan or protection of a victim',
      definition:
        'A family violence agency or social services practitioner may request, use or disclose information for a family violence risk or needs assessment, a plan, or to protect a victim.',
    },
    {
      code: 'privacy_ipp11_serious_threat',
      act: 'Privacy Act 2020',
      section: 's22, IPP 11(1)(f)',
      label: 'Serious threat to life, health or safety',
      definition:
        'Disclosure is necessary to prevent or lessen a serious threat to public health or safety, or to the life or health of any person.',
    },
    {
      code: 'privacy_ipp11_maintenance_of_law',
      act: 'Privacy Act 2020',
      section: 's22, IPP 11(1)(e)',
      label: 'Avoid prejudice to the maintenance of the law',
      definition:
        'Disclosure to a public sector agency, such as Police, is necessary to avoid prejudice to the prevention, detection or investigation of offences.',
    },
    {
      code: 'privacy_ipp11_purpose',
      act: 'Privacy Act 2020',
      section: 's22, IPP 11(1)(a)',
      label: 'One of the purposes the information was collected for',
      definition:
        'Disclosure is one of the purposes, or directly related to a purpose, for which the information was collected.',
    },
    {
      code: 'consent_young_person',
      act: 'Privacy Act 2020',
      section: 's22, IPP 11(1)(c)',
      label: 'Agreement of the young person',
      definition:
        'The young person has agreed to this sharing after being told what will be shared, with whom and why. Their agreement is about sharing information, never about the exploitation.',
    },
    {
      code: 'consent_parent_whanau',
      act: 'Privacy Act 2020',
      section: 's22, IPP 11(1)(c)',
      label: 'Agreement of a parent, guardian or whānau',
      definition:
        'A parent, guardian or whānau member has agreed to the sharing on the child’s behalf. Do not seek it from anyone who may be involved in the exploitation.',
    },
    {
      code: 'other_enactment',
      act: 'Privacy Act 2020',
      section: 's24',
      label: 'Required or permitted by another law',
      definition:
        'Another Act or a court order requires or permits the sharing. Record which one in the disclosure.',
    },
  ],

  genders: [
    {
      code: 'girl',
      label: 'Girl or young woman',
      definition: 'The young person describes themselves as a girl or young woman.',
      htcds: 'Feminine',
    },
    {
      code: 'boy',
      label: 'Boy or young man',
      definition: 'The young person describes themselves as a boy or young man.',
      htcds: 'Masculine',
    },
    {
      code: 'transgender_girl',
      label: 'Transgender girl or young woman',
      definition:
        'The young person describes themselves as a transgender girl or young woman and wants this recorded.',
      htcds: 'TransgenderFeminine',
    },
    {
      code: 'transgender_boy',
      label: 'Transgender boy or young man',
      definition:
        'The young person describes themselves as a transgender boy or young man and wants this recorded.',
      htcds: 'TransgenderMasculine',
    },
    {
      code: 'non_binary',
      label: 'Non-binary or another gender',
      definition:
        'The young person describes their gender as non-binary, gender diverse or another gender, including takatāpui or other culturally specific identities when they use them for their gender.',
      htcds: 'NonConforming',
    },
    {
      code: 'unknown',
      label: 'Not known',
      definition: 'The referrer does not know the young person’s gender.',
      htcds: 'NonSpecifiedUnknown',
    },
    {
      code: 'not_stated',
      label: 'Prefers not to say',
      definition: 'The young person has been asked and prefers not to say.',
      htcds: 'NonSpecifiedUnknown',
    },
  ],

  ageBands: [
    {
      code: 'age_0_11',
      label: 'Under 12',
      definition: 'Aged 0 to 11. Any sexual conduct with a child under 12 is an offence (Crimes Act s132).',
      min: 0,
      max: 11,
    },
    {
      code: 'age_12_15',
      label: '12 to 15',
      definition: 'Aged 12 to 15. Sexual conduct with anyone under 16 is an offence (Crimes Act s134).',
      min: 12,
      max: 15,
    },
    {
      code: 'age_16_17',
      label: '16 or 17',
      definition: 'Aged 16 or 17: still a child. No one under 18 may be used in commercial sexual services.',
      min: 16,
      max: 17,
    },
    {
      code: 'age_under_18_unknown',
      label: 'Under 18, age not known',
      definition: 'Believed to be under 18, but the age is not known closely enough for a narrower band.',
      min: 0,
      max: 17,
    },
  ],

  ethnicities,
  iwi: iwiData,
  regions: REGIONS,
  policeDistricts: policeDistrictData,

  citizenshipStatuses: [
    {
      code: 'nz_citizen',
      label: 'New Zealand citizen',
      definition:
        'A New Zealand citizen, by birth, descent or grant, including citizens of the Cook Islands, Niue and Tokelau.',
    },
    {
      code: 'nz_resident',
      label: 'New Zealand resident',
      definition: 'Holds a New Zealand resident or permanent resident visa.',
    },
    {
      code: 'australian_citizen',
      label: 'Australian citizen',
      definition: 'An Australian citizen, who may live and work in New Zealand on arrival.',
    },
    {
      code: 'temporary_student',
      label: 'Temporary visa: student',
      definition: 'Holds a student visa, including international students at school or in tertiary study.',
    },
    {
      code: 'temporary_work',
      label: 'Temporary visa: work',
      definition: 'Holds a work visa, such as a working holiday or seasonal work visa.',
    },
    {
      code: 'temporary_visitor',
      label: 'Temporary visa: visitor',
      definition: 'Holds a visitor visa or is visiting on a visa waiver.',
    },
    {
      code: 'temporary_other',
      label: 'Temporary visa: other',
      definition: 'Holds another temporary, limited or interim visa.',
    },
    {
      code: 'refugee_or_protection',
      label: 'Refugee or protection claimant',
      definition:
        'Has claimed, or been granted, refugee or protected person status and has not yet been granted residence.',
    },
    {
      code: 'unlawfully_in_nz',
      label: 'Unlawfully in New Zealand',
      definition:
        'Has no current visa. A child’s immigration status never affects their right to protection and support.',
    },
    {
      code: 'unknown',
      label: 'Not known',
      definition: 'The referrer does not know the young person’s citizenship or visa status.',
    },
  ],
});
