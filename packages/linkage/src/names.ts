// A modest, synthetic name list for generating test records: common given and family names of
// Māori, Pacific, Pākehā and Asian New Zealanders. Names only, never anyone's record.

export const GIVEN = {
  maori:
    'Aroha Anahera Ātaahua Hana Hēmi Hine Hinemoa Hōhepa Hone Huia Īhaka Kahu Kahurangi Kaia Kauri Kiri Kōwhai Kura Mahina Māia Manaia Mānia Marama Mereana Mere Mihi Moana Nikau Ngaio Ngāire Ngaroma Niwa Paora Pania Rāwiri Rangi Rewi Ripeka Ruihi Tama Tamati Tāne Tangaroa Tia Tipene Tui Waimarie Wairimu Whetu Wiremu Te Rangi Hohepa Ihaia Maui Rongo Ariki Awhina Miriama Tamaroa Wikitoria Hemi Kaea Keita Matiu Nohorua Pita Rawiri',
  pacific:
    'Sione Sefo Iosefa Tevita Viliami Salote Mele Losa Ana Lupe Malia Sina Tasi Fetu Ioane Petelo Sitiveni Talia Leilani Lagi Pua Tavita Semisi Siaosi Timote Ofa Seini Mosese Paulo Moana Alofa Faith Grace Mata Teuila Vai Sefa Lusia Tomasi Lose Nia Tui Kalo Mikaele Samuelu Salesi Fotu Afa Manu',
  pakeha:
    'Oliver Jack William Noah Leo George Charlie Lucas Thomas James Henry Hunter Max Mason Liam Jacob Samuel Ethan Joshua Benjamin Daniel Matthew Riley Harrison Cooper Isaac Luke Ryan Tyler Logan Charlotte Isla Olivia Amelia Mia Harper Ava Willow Sophie Ella Emily Lily Grace Ruby Zoe Chloe Hannah Isabella Sarah Jessica Elizabeth Madison Georgia Emma Holly Paige Jasmine Brooke Caitlin Rebecca Rachel Katherine Michael David John Peter Andrew Christopher Stephen Richard Mary Margaret Susan Anne Lucy Rose Victoria Alexander Nicholas Jonathan Patrick Jayden Kayla Tayla Courtney Shannon Bailey Jordan',
  asian:
    'Wei Jun Hao Ming Yi Xin Li Mei Ling Yan Hui Jia Aarav Arjun Priya Ananya Rohan Ishaan Diya Kavya Aditi Rahul Neha Sanjay Divya Ji-woo Min-jun Seo-yeon Ha-eun Ji-ho Angelo Jose Maria Angel Mark Joy Princess Ramon Jasmine Nguyen An Linh Minh Thi Anh Bao Hoa Raj Simran Harpreet Gurpreet Manpreet',
} as const;

export const FAMILY = {
  maori:
    'Ngata Parata Tipene Wihongi Te Whata Tamihana Paki Rāwiri Hēnare Tūhoe Waaka Kereama Matiu Ruatapu Pōmare Herewini Horomona Te Ao Tawhiri Nikora Wairua Hōhaia Whaanga Kawhia Ngāwai Tāwhai Te Kani Mahuika Rangihau Pōtae Karaitiana Rikihana Te Rangi Hapeta Tautahi Tumai Kingi Poutama Aperahama Whakaruru Tomoana Hetaraka Mokomoko Paewai Te Hira Pene Tuhiwai Mihaka Tapsell Te Wheoro Walker Smith Brown Wilson Thompson Williams',
  pacific:
    'Tuilagi Fifita Taufa Vaipulu Leota Faleolo Tupou Havili Latu Mahe Fonua Tonga Vea Lemalu Sapolu Aumua Fuimaono Masoe Toleafoa Tuiasosopo Pulu Kata Fusitua Folau Mateo Tangitau Afamasaga Faamausili Sopoaga Vainikolo Toala Iosefa Lealaiauloto Tapueluelu Moala Kaufana Tausinga Ah Chong Fonoti Manu Salave Peni Taione Aiolupotea Savea',
  pakeha:
    'Smith Wilson Williams Brown Taylor Anderson Thompson Jones Walker Harris Martin Clark Jackson Campbell White Scott Robinson Young King Wright Hall Mitchell Stewart Edwards Morris Turner Wood Cooper Bell Reid Murray Kelly Ward Hughes Johnston Clarke Baker Green Hill Adams Ross Moore Fraser Davies Evans Roberts Lee Hamilton Graham Johnson Mackenzie Macdonald Russell Stevens Watson Cameron Allen Gray McKenzie Parker Bennett Hunt Marshall Collins Shaw Grant Jenkins Murphy Sutherland Knight Simpson Spencer Ryan Hunter Reynolds Rogers Fletcher',
  asian:
    'Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Singh Kaur Patel Sharma Kumar Gupta Shah Reddy Nair Chand Prasad Kim Lee Park Choi Jung Kang Cho Nguyen Tran Le Pham Santos Reyes Cruz Bautista Garcia Mendoza Dela Cruz Tanaka',
} as const;

/** Share of children under 18 by name origin: Stats NZ ethnic shares, rounded, multiple ethnicities folded. */
export const GROUP_WEIGHTS = { pakeha: 0.45, maori: 0.25, pacific: 0.12, asian: 0.18 } as const;

/** Regions with rough shares of the child population. */
export const REGIONS: readonly [string, number][] = [
  ['Northland', 0.04],
  ['Auckland', 0.34],
  ['Waikato', 0.1],
  ['Bay of Plenty', 0.07],
  ['Gisborne', 0.01],
  ["Hawke's Bay", 0.04],
  ['Taranaki', 0.03],
  ['Manawatū-Whanganui', 0.05],
  ['Wellington', 0.1],
  ['Tasman', 0.01],
  ['Nelson', 0.01],
  ['Marlborough', 0.01],
  ['West Coast', 0.01],
  ['Canterbury', 0.12],
  ['Otago', 0.04],
  ['Southland', 0.02],
];

/** Splits a space-separated list, keeping known two-word names together ("Te Rangi", "Ah Chong"). */
export function nameList(text: string): string[] {
  const out: string[] = [];
  const words = text.split(' ');
  for (let k = 0; k < words.length; k++) {
    const w = words[k] ?? '';
    if ((w === 'Te' || w === 'Ah' || w === 'Dela') && k + 1 < words.length) {
      out.push(`${w} ${words[k + 1] ?? ''}`);
      k++;
    } else out.push(w);
  }
  return out;
}
