/**
 * Inter as full TTFs (Google Fonts' build), for the AVV PDFs and the social cards: the
 * @fontsource files are split by Unicode range, and their Latin part lacks glyphs German
 * contracts and change titles use (→, ẞ, the letters of Polish or Czech place names). pdfkit
 * embeds a subset; satori draws the glyphs as outlines.
 */
export const INTER_FONT_FILES = {
  regular: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf',
  italic: '@expo-google-fonts/inter/400Regular_Italic/Inter_400Regular_Italic.ttf',
  bold: '@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf',
  boldItalic: '@expo-google-fonts/inter/700Bold_Italic/Inter_700Bold_Italic.ttf',
} as const;
