print('broken')
