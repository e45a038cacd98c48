/**
 * Inter as full TTFs (Google Fonts' build): the @fontsource files are split by Unicode range,
 * and the Latin part lacks glyphs German contracts use (→, ẞ). pdfkit embeds a subset.
 */
export const AVV_PDF_FONT_FILES = {
  regular: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf',
  italic: '@expo-google-fonts/inter/400Regular_Italic/Inter_400Regular_Italic.ttf',
  bold: '@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf',
  boldItalic: '@expo-google-fonts/inter/700Bold_Italic/Inter_700Bold_Italic.ttf',
} as const;
